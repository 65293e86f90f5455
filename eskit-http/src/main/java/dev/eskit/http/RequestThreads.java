package dev.eskit.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of a {@link LiveHttpServer}: at most {@code threads}, with {@code queued} more requests waiting (beyond
 * that the JDK server closes the connection). A request whose line and headers have not arrived within
 * {@code headerTimeout} has its thread interrupted, which closes its connection (the JDK server reads on an
 * interruptible channel): a client that never finishes its headers holds a thread for that long at most.
 */
final class RequestThreads implements Executor {

    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;
    private final long headerTimeoutNanos;
    private final Map<Thread, Request> running = new ConcurrentHashMap<>();

    RequestThreads(int threads, int queued, Duration headerTimeout) {
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queued),
                task -> daemon(task, "eskit-http-" + count.incrementAndGet()));
        pool.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, task -> daemon(task, "eskit-http-header-timeout"));
        timer.setRemoveOnCancelPolicy(true);
        this.headerTimeoutNanos = headerTimeout.toNanos();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Runs the JDK server's task for one request; throws {@code RejectedExecutionException} when all are busy. */
    @Override
    public void execute(Runnable task) {
        pool.execute(new Request(task));
    }

    /** Called by the handlers on the request's thread: its headers are in, the header timeout no longer applies. */
    void headersRead() {
        Request request = running.get(Thread.currentThread());
        if (request != null) {
            request.headersRead();
        }
    }

    /** Threads of this executor now alive (for tests). */
    int threads() {
        return pool.getPoolSize();
    }

    void shutdownNow() {
        timer.shutdownNow();
        pool.shutdownNow();
    }

    private final class Request implements Runnable {
        private final Runnable task;
        private Thread thread;
        private boolean headersRead;
        private boolean done;
        private boolean timedOut;
        private ScheduledFuture<?> deadline;

        Request(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            synchronized (this) {
                thread = Thread.currentThread();
            }
            running.put(thread, this);
            try {
                deadline = timer.schedule(this::timeout, headerTimeoutNanos, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The server is closing: it closes the connection itself.
            }
            try {
                task.run();
            } finally {
                running.remove(thread);
                synchronized (this) {
                    done = true;
                    if (deadline != null) {
                        deadline.cancel(false);
                    }
                    if (timedOut) {
                        // The interrupt was ours: do not hand it to the pool thread's next request.
                        Thread.interrupted();
                    }
                }
            }
        }

        synchronized void headersRead() {
            headersRead = true;
            if (deadline != null) {
                deadline.cancel(false);
            }
        }

        private synchronized void timeout() {
            if (!headersRead && !done) {
                timedOut = true;
                thread.interrupt();
            }
        }
    }
}

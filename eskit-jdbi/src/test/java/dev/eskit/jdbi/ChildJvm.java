package dev.eskit.jdbi;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A child JVM running a main class of the test class path; remembers every line it prints and lets tests await one. */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Set<String> lines = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition printed = lock.newCondition();
    private final Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mainClass} with {@code args}. */
    static ChildJvm start(Class<?> mainClass, List<String> args) throws java.io.IOException {
        return start(mainClass, List.of(), args);
    }

    /** Starts {@code mainClass} with JVM options {@code jvmOptions} (such as {@code -Xmx64m}) and {@code args}. */
    static ChildJvm start(Class<?> mainClass, List<String> jvmOptions, List<String> args) throws java.io.IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);
        return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
                lock.lock();
                try {
                    printed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (java.io.IOException e) {
            // The pipe breaks when the child is killed.
        }
    }

    /** Every line it has printed so far. */
    Set<String> lines() {
        return Set.copyOf(lines);
    }

    /** Whether it has printed {@code line}. */
    boolean hasPrinted(String line) {
        return lines.contains(line);
    }

    /** Waits until it prints {@code line}; false when {@code timeout} passes first. */
    boolean await(String line, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!lines.contains(line)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                    return lines.contains(line);
                }
                printed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits for it to exit by itself; its exit code, or -1 when {@code timeout} passed first. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** Closes its standard input (a child may take that as a request to shut down gracefully). */
    void closeInput() throws java.io.IOException {
        process.getOutputStream().close();
    }

    /** Kills it at once (SIGKILL) and waits for it to die. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the child did not die");
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}

package dev.eskit.subscription;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.internal.WorkerLoop;
import dev.eskit.internal.WorkerLoop.Next;
import java.util.List;
import java.util.Optional;

/**
 * What a subscription's thread does: load the checkpoint, then turn by turn save what is due, read a page, hand it
 * over, and wait when caught up; at the end save what is unsaved and report how it ended.
 */
final class SubscriptionWorker implements Runnable {
    private final Reader reader;
    private final Checkpointer checkpointer;
    private final Delivery delivery;
    private final ErrorPolicy errors;
    private final Fence fence;
    private final Status status;
    private final WorkerLoop loop;
    private final AppendNotifier notifier;
    private final long pollIntervalNanos;

    SubscriptionWorker(Reader reader, Checkpointer checkpointer, Delivery delivery, ErrorPolicy errors, Fence fence,
                       Status status, WorkerLoop loop, AppendNotifier notifier, long pollIntervalNanos) {
        this.reader = reader;
        this.checkpointer = checkpointer;
        this.delivery = delivery;
        this.errors = errors;
        this.fence = fence;
        this.status = status;
        this.loop = loop;
        this.notifier = notifier;
        this.pollIntervalNanos = pollIntervalNanos;
    }

    @Override
    public void run() {
        AppendNotifier.Registration registration = null;
        boolean saveOnExit = true;
        try {
            registration = notifier == null ? null : notifier.onAppend(loop::wake);
            Optional<Optional<Position>> loaded = errors.retrying(() -> Optional.of(checkpointer.load()));
            if (loaded.isEmpty()) {
                saveOnExit = false;
                return;
            }
            reader.reset(loaded.get().orElse(Position.START));
            loop.loop(this::turn);
        } catch (Error | RuntimeException fatal) {
            saveOnExit = false;
            status.fail(fatal);
        } finally {
            if (saveOnExit && !fence.lost()) {
                status.state(SubscriptionState.STOPPING);
                delivery.finish();
                status.state(status.failure() instanceof SubscriptionHaltedException ? SubscriptionState.HALTED
                        : SubscriptionState.STOPPED);
            } else {
                status.state(status.failure() == null ? SubscriptionState.STOPPED : SubscriptionState.FAILED);
            }
            if (registration != null) {
                registration.close();
            }
            status.ended(status.state());
        }
    }

    private Next turn() {
        if (!delivery.saveIfDue() || fence.lost()) {
            return Next.exit();
        }
        long readNumber = reader.beginRead();
        Optional<Reader.Read> read = errors.retrying(() -> Optional.of(reader.next()));
        if (read.isEmpty()) {
            return Next.exit();
        }
        Reader.Read result = read.get();
        if (result instanceof Reader.Page page) {
            return afterPage(page, readNumber);
        }
        if (result instanceof Reader.Poison poison) {
            boolean movedOn = errors.poison(poison.event(), 1, poison.cause()) == ErrorPolicy.Outcome.PARKED
                    && delivery.skip(poison.event());
            return movedOn ? Next.again() : Next.exit();
        }
        // Narrowed: an undecodable event is among the next ones; read fewer.
        status.lastError(((Reader.Narrowed) result).cause());
        return Next.again();
    }

    private Next afterPage(Reader.Page page, long readNumber) {
        List<StoredEvent<Object>> events = page.events();
        int handled = delivery.deliver(events);
        if (handled < 0 || loop.stopRequested()) {
            return Next.exit();
        }
        if (handled == events.size() && events.size() < page.limit()) {
            reader.caughtUp(readNumber);
            status.running(SubscriptionState.LIVE, loop.stopRequested());
            return Next.idle(delivery.idleNanos(pollIntervalNanos));
        }
        status.running(SubscriptionState.CATCHING_UP, loop.stopRequested());
        return Next.again();
    }
}

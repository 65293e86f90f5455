package dev.eskit.subscription;

import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StoredEventHeader;
import dev.eskit.internal.WorkerLoop;
import java.util.List;
import java.util.Optional;

/**
 * Hands events to a {@link TransactionalHandler} in transactions of up to {@code chunk} events, each saving the
 * checkpoint. When a transaction fails, its events are retried one per transaction, so that only the failing event is
 * retried and dead-lettered.
 */
final class TransactionalDelivery extends Delivery {
    private final TransactionalSink<?> sink;
    /** The name the transactor saves the checkpoint under: the tenant's scoped name on a tenant's store. */
    private final String checkpointName;
    private final int chunk;
    private final Reader reader;
    private final Checkpointer checkpointer;
    private final ErrorPolicy errors;
    private final Fence fence;
    private final Status status;
    private final WorkerLoop loop;

    TransactionalDelivery(TransactionalSink<?> sink, String checkpointName, int chunk, Reader reader,
                          Checkpointer checkpointer, ErrorPolicy errors, Fence fence, Status status, WorkerLoop loop) {
        this.sink = sink;
        this.checkpointName = checkpointName;
        this.chunk = chunk;
        this.reader = reader;
        this.checkpointer = checkpointer;
        this.errors = errors;
        this.fence = fence;
        this.status = status;
        this.loop = loop;
    }

    @Override
    int deliver(List<StoredEvent<Object>> page) {
        int done = 0;
        int singlyUntil = 0;
        while (done < page.size() && !loop.stopRequested()) {
            if (done >= singlyUntil) {
                int end = Math.min(page.size(), done + chunk);
                if (end - done > 1) {
                    try {
                        commit(page.subList(done, end));
                        done = end;
                        continue;
                    } catch (Exception e) {
                        if (fence.isFenced()) {
                            break;
                        }
                        status.lastError(e);
                        singlyUntil = end;
                    }
                }
            }
            if (!deliverAlone(page.get(done))) {
                break;
            }
            done++;
        }
        return done;
    }

    /** One event in one transaction with its checkpoint, with retries and then a dead letter. */
    private boolean deliverAlone(StoredEvent<Object> event) {
        List<StoredEvent<Object>> single = List.of(event);
        StoredEventHeader header = StoredEventHeader.of(event);
        return switch (errors.handle(header, () -> commit(single), false)) {
            case HANDLED -> true;
            case PARKED -> skip(header);
            case STOPPED -> false;
        };
    }

    /** Handles {@code events} and saves the last one's position in one transaction. */
    private void commit(List<StoredEvent<Object>> events) throws Exception {
        Position last = events.get(events.size() - 1).position();
        handlerLock.lock();
        try {
            sink.handleAndSave(events, checkpointName, checkpointer.checkpoint().orElse(null), last,
                    fence::checkInTransaction);
        } catch (TransactionalSink.CheckpointMoved moved) {
            fence.moved(moved);
            throw moved;
        } finally {
            handlerLock.unlock();
        }
        reader.moveTo(last);
        checkpointer.committed(last);
    }

    @Override
    boolean skip(StoredEventHeader poison) {
        boolean saved = errors.retrying(() -> {
            try {
                sink.saveAlone(checkpointName, checkpointer.checkpoint().orElse(null), poison.position(),
                        fence::checkInTransaction);
            } catch (TransactionalSink.CheckpointMoved moved) {
                fence.moved(moved);
                throw moved;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new SubscriptionException("Saving the checkpoint of \"" + checkpointName + "\" failed: " + e, e);
            }
            return Optional.of(Boolean.TRUE);
        }).isPresent();
        if (saved) {
            reader.moveTo(poison.position());
            checkpointer.committed(poison.position());
        }
        return saved;
    }

    @Override
    void replay(StoredEvent<Object> event) throws Exception {
        handlerLock.lock();
        try {
            sink.handleAlone(event);
        } finally {
            handlerLock.unlock();
        }
    }

    @Override
    boolean saveIfDue() {
        return true;
    }

    @Override
    long idleNanos(long idleNanos) {
        return idleNanos;
    }

    @Override
    void finish() {
        // Every transaction saved its checkpoint.
    }
}

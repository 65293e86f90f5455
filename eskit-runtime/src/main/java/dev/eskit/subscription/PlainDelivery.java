package dev.eskit.subscription;

import dev.eskit.StoredEvent;
import dev.eskit.StoredEventHeader;
import dev.eskit.internal.WorkerLoop;
import java.util.List;
import java.util.Optional;

/** Hands events to an {@link EventHandler} one at a time and saves the checkpoint as the {@link Checkpointer} says. */
final class PlainDelivery extends Delivery {
    private final EventHandler handler;
    private final Reader reader;
    private final Checkpointer checkpointer;
    private final ErrorPolicy errors;
    private final Fence fence;
    private final Status status;
    private final WorkerLoop loop;

    PlainDelivery(EventHandler handler, Reader reader, Checkpointer checkpointer, ErrorPolicy errors, Fence fence,
                  Status status, WorkerLoop loop) {
        this.handler = handler;
        this.reader = reader;
        this.checkpointer = checkpointer;
        this.errors = errors;
        this.fence = fence;
        this.status = status;
        this.loop = loop;
    }

    @Override
    int deliver(List<StoredEvent<Object>> page) {
        int handled = 0;
        for (StoredEvent<Object> event : page) {
            if (loop.stopRequested()) {
                break;
            }
            ErrorPolicy.Outcome outcome = errors.handle(StoredEventHeader.of(event), () -> call(event), true);
            if (outcome == ErrorPolicy.Outcome.STOPPED) {
                break;
            }
            // Handled or dead-lettered: either way the position moves past it.
            reader.moveTo(event.position());
            checkpointer.counted();
            handled++;
            if (checkpointer.dueAfterEvent() && !save()) {
                return -1;
            }
        }
        return handled;
    }

    private void call(StoredEvent<Object> event) throws Exception {
        handlerLock.lock();
        try {
            handler.handle(event);
        } finally {
            handlerLock.unlock();
        }
    }

    @Override
    boolean skip(StoredEventHeader poison) {
        reader.moveTo(poison.position());
        checkpointer.counted();
        return true;
    }

    @Override
    void replay(StoredEvent<Object> event) throws Exception {
        call(event);
    }

    @Override
    boolean saveIfDue() {
        return !checkpointer.dueByTime() || save();
    }

    @Override
    long idleNanos(long idleNanos) {
        return checkpointer.idleNanos(idleNanos);
    }

    @Override
    void finish() {
        if (!checkpointer.hasUnsaved()) {
            return;
        }
        try {
            checkpointer.save(reader.position());
        } catch (RuntimeException e) {
            // Progress since the last checkpoint is handled again after the restart: at least once.
            status.lastError(e);
        }
    }

    /** Saves the position, retrying failures; false when fenced or asked to stop first. */
    private boolean save() {
        if (fence.lost()) {
            return false;
        }
        return errors.retrying(() -> {
            checkpointer.save(reader.position());
            return Optional.of(Boolean.TRUE);
        }).isPresent();
    }
}

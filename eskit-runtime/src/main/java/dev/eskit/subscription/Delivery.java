package dev.eskit.subscription;

import dev.eskit.StoredEvent;
import dev.eskit.StoredEventHeader;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands the events of a page to the subscription's handler and moves the position past them: {@link PlainDelivery}
 * saves checkpoints as configured, {@link TransactionalDelivery} commits handler work and checkpoint together.
 */
abstract sealed class Delivery permits PlainDelivery, TransactionalDelivery {

    /** Serializes handler calls between the worker and dead-letter replays. */
    final ReentrantLock handlerLock = new ReentrantLock();

    /**
     * Hands {@code page} over, in order, until done or asked to stop.
     *
     * @return how many events are done (handled or dead-lettered), or -1 when the subscription must end now
     */
    abstract int deliver(List<StoredEvent<Object>> page);

    /**
     * Moves the position past a poison event that was dead-lettered.
     *
     * @return false when asked to stop first
     */
    abstract boolean skip(StoredEventHeader poison);

    /** Hands a dead-lettered event to the handler again, on the calling thread. */
    abstract void replay(StoredEvent<Object> event) throws Exception;

    /**
     * Saves unsaved progress whose interval has passed.
     *
     * @return false when the save was stopped (the subscription must end)
     */
    abstract boolean saveIfDue();

    /** How long an idle run may wait: {@code idleNanos}, or less when unsaved progress comes due sooner. */
    abstract long idleNanos(long idleNanos);

    /** The run is ending gracefully: saves what is unsaved (a failure is recorded, not thrown). */
    abstract void finish();
}

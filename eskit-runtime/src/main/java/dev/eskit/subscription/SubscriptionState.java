package dev.eskit.subscription;

/** Where a {@link Subscription} is in its life. */
public enum SubscriptionState {
    /** Built, not started. */
    NEW,
    /** Running and reading a backlog: the last read filled a whole batch. */
    CATCHING_UP,
    /** Running and caught up: the last read reached the end of the log, and every event it returned is handled. */
    LIVE,
    /** Asked to stop; finishing the current event and saving the checkpoint. */
    STOPPING,
    /** Stopped after a {@link Subscription#stop()}: the checkpoint holds the last handled event. */
    STOPPED,
    /**
     * Stopped on a poison event ({@link PoisonPolicy#HALT}): every event before it is handled and checkpointed;
     * {@link Subscription#failure()} names the event and the cause. Start it again once the event or handler is fixed.
     */
    HALTED,
    /** Stopped by an {@link Error} from the handler, without saving the checkpoint; see {@link Subscription#failure()}. */
    FAILED
}

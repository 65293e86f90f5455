package dev.eskit.subscription;

import dev.eskit.StoredEventHeader;

/**
 * A subscription halted on a poison event ({@link PoisonPolicy#HALT}): the event cannot be decoded, or its handler
 * failed on every attempt. Every event before it is handled and checkpointed; the subscription is in state
 * {@link SubscriptionState#HALTED} until it is started again.
 */
public final class SubscriptionHaltedException extends SubscriptionException {
    private static final long serialVersionUID = 1L;

    private final transient StoredEventHeader event;

    /** The exception for subscription {@code subscription}, halted on {@code event} because of {@code cause}. */
    public SubscriptionHaltedException(String subscription, StoredEventHeader event, Throwable cause) {
        super("Subscription \"" + subscription + "\" halted on " + event.describe() + ": " + DeadLetter.describe(cause)
                + ". Every event before it is handled. Fix the event's data or the handler and start the subscription"
                + " again, or give it a dead-letter store (onPoison(PoisonPolicy.DEAD_LETTER)) to park such events.",
                cause);
        this.event = event;
    }

    /** The poison event. */
    public StoredEventHeader event() {
        return event;
    }
}

package dev.eskit.subscription;

/**
 * What a {@link Subscription} does with a poison event: one its store cannot decode, or one its handler still fails on
 * after the last retry. Either way it never stalls silently.
 *
 * <p>The default is {@link #DEAD_LETTER} when the subscription was given a dead-letter store
 * ({@link Subscription.Builder#deadLetters}), and {@link #HALT} when it was not.
 */
public enum PoisonPolicy {
    /**
     * Park the event in the dead-letter store (with its position, stream, type and the error), log it at WARN and move
     * on to the next event. The dead letter can be replayed or deleted later.
     */
    DEAD_LETTER,
    /**
     * Deliver every event before it, save the checkpoint just before it, log it at ERROR and stop in state
     * {@link SubscriptionState#HALTED}; {@link Subscription#failure()} names the event and the cause. Fix the data or
     * the handler and start the subscription again.
     */
    HALT
}

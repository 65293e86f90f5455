package dev.eskit.hooks;

import dev.eskit.AppendRequest;

/**
 * Runs before every append of a {@link HookedEventStore}, after the request was validated and before the store sees
 * it. To refuse the append, throw {@link AppendRejectedException}: nothing is written and the caller gets the
 * exception. Another {@link dev.eskit.EskitException} (such as a {@link dev.eskit.ConcurrencyException}) also stops the
 * append and reaches the caller unchanged; any other exception stops it wrapped in an {@link AppendRejectedException}.
 *
 * <pre>{@code
 * BeforeAppendHook noEmptyInitiator = request -> {
 *     if (request.metadata().initiator() == null) {
 *         throw new AppendRejectedException("Append to " + request.stream() + " has no initiator. Send commands"
 *             + " with CommandContext.of(Metadata.empty().withInitiator(user)).");
 *     }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface BeforeAppendHook {

    /**
     * Inspects {@code request}; returns normally to let it through.
     *
     * @throws AppendRejectedException to refuse the append
     */
    void beforeAppend(AppendRequest request);
}

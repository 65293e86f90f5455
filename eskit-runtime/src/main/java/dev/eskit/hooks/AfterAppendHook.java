package dev.eskit.hooks;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;

/**
 * Runs after every successful append of a {@link HookedEventStore} (also for a duplicate, see
 * {@link AppendResult#duplicate()}). The events are already stored, so a hook can never undo or break the append: an
 * exception it throws is logged (logger {@code dev.eskit.hooks.HookedEventStore}, level WARN) and swallowed, and the
 * remaining hooks still run.
 *
 * <p>Hooks run on the appending thread, so keep them short; hand slow work to a queue or use a subscription.
 */
@FunctionalInterface
public interface AfterAppendHook {

    /** Observes a stored append. */
    void afterAppend(AppendRequest request, AppendResult result);
}

package dev.eskit.dcb;

import dev.eskit.EskitException;
import dev.eskit.Position;

/**
 * A Dynamic Consistency Boundary append whose condition failed: an event matching the condition's query exists after
 * its position. Nothing was written. Read the boundary again, decide again and retry (the
 * {@link DcbCommandHandler} does this for you with a retry policy).
 */
public final class AppendConditionFailedException extends EskitException {
    private static final long serialVersionUID = 1L;

    private final transient AppendCondition condition;
    private final transient Position conflicting;

    /** The condition failed because of the event at {@code conflicting}. */
    public AppendConditionFailedException(AppendCondition condition, Position conflicting) {
        super("The append condition failed: the event at position " + conflicting + " matches " + condition.query()
                + (condition.after() == null ? "" : " and comes after position " + condition.after())
                + ". Another writer changed the boundary first: read it again, decide again and retry"
                + " (or give DcbCommandHandler a Retry, such as Retry.attempts(10)).");
        this.condition = condition;
        this.conflicting = conflicting;
    }

    /** The condition that failed. */
    public AppendCondition condition() {
        return condition;
    }

    /** The position of the first event that matched (on PostgreSQL, of one of them). */
    public Position conflictingPosition() {
        return conflicting;
    }
}

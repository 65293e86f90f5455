package dev.eskit.dcb;

import dev.eskit.Position;
import java.util.Objects;
import java.util.Optional;

/**
 * The condition of a Dynamic Consistency Boundary append: fail if any event matching {@link #query()} exists after
 * {@link #after()} (or at all, when there is no position).
 *
 * <pre>{@code
 * AppendCondition.failIfEventsMatch(query, lastPositionRead)     // nothing new since I read
 * AppendCondition.failIfEventsMatch(query)                        // nothing matching exists at all
 * }</pre>
 *
 * @param query the boundary
 * @param after the position read up to, or {@code null} for "no event may match at all"
 */
public record AppendCondition(Query query, Position after) {

    /** Checks the query. */
    public AppendCondition {
        Objects.requireNonNull(query, "query");
    }

    /** Fails the append if any event matches {@code query}. */
    public static AppendCondition failIfEventsMatch(Query query) {
        return new AppendCondition(query, null);
    }

    /**
     * Fails the append if an event matching {@code query} exists after {@code after}.
     *
     * @param after the position read up to; {@code null} or {@link Position#START} for "at all"
     */
    public static AppendCondition failIfEventsMatch(Query query, Position after) {
        return new AppendCondition(query, after == null || after.equals(Position.START) ? null : after);
    }

    /** The position, or empty for "no event may match at all". */
    public Optional<Position> afterPosition() {
        return Optional.ofNullable(after);
    }

    /** The position, {@link Position#START} when there is none. */
    public Position afterOrStart() {
        return after == null ? Position.START : after;
    }
}

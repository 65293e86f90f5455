package dev.eskit.jdbi;

import dev.eskit.Position;
import java.time.Instant;
import java.util.Map;

/**
 * Counts over a store's tables, as {@link RawEventAccess#stats()} reads them.
 *
 * @param database      {@code "SQLite"} or {@code "PostgreSQL"}
 * @param tables        the tables' qualifier and prefix, such as {@code "billing.eskit_*"}
 * @param schemaVersion the newest applied migration of the store's tables
 * @param events        the number of events
 * @param streams       the number of streams
 * @param eventsByType  the number of events per event type, sorted by type
 * @param lastPosition  the position of the newest readable event, or {@link Position#START} when there is none
 * @param firstEventAt  the timestamp of the oldest event, or {@code null} when there is none
 * @param lastEventAt   the timestamp of the newest event, or {@code null} when there is none
 * @param checkpoints   the number of saved checkpoints
 */
public record StoreStats(String database, String tables, int schemaVersion, long events, long streams,
                         Map<String, Long> eventsByType, Position lastPosition, Instant firstEventAt,
                         Instant lastEventAt, long checkpoints) {
}

package dev.eskit.jdbi.subscription;

import dev.eskit.EventStore;
import dev.eskit.Names;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.JdbiSchema;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.TableNames;
import dev.eskit.subscription.DeadLetter;
import dev.eskit.subscription.DeadLetterStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Dead letters in a table next to a {@link JdbiEventStore}'s tables ({@code <prefix>dead_letters}), so that what
 * failed survives restarts and every node sees it. A dead letter refers to its event (the event stays in the log).
 * The table is created by eskit's versioned migrations (migration 3).
 *
 * <pre>{@code
 * Subscription.builder("balances", store, store.checkpoints())
 *     .deadLetters(JdbiDeadLetterStore.create(jdbi, store))
 *     ...
 * }</pre>
 */
public final class JdbiDeadLetterStore implements DeadLetterStore {

    private static final String COLUMNS = "id, subscription, event_id, stream_type, stream_id, version, event_type,"
            + " commit_order, sequence, attempts, error, first_failed_at, last_failed_at";

    private final WriteTransactions db;
    private final String table;
    private final java.util.function.UnaryOperator<DeadLetter> redact;

    private JdbiDeadLetterStore(Jdbi jdbi, TableNames names, boolean migrate,
                                java.util.function.UnaryOperator<DeadLetter> redact) {
        this.redact = redact;
        this.db = new WriteTransactions(jdbi, 10_000);
        this.table = names.table("dead_letters");
        if (migrate) {
            // The table is part of eskit's versioned schema (migration 3).
            JdbiSchema.migrate(jdbi, names);
        }
    }

    /**
     * Dead letters on {@code jdbi}, in the table of {@code store}'s schema and prefix (its migrations created it). When
     * {@code store} protects personal data, letters of events with personal data never keep the failure message
     * (see {@link dev.eskit.gdpr.PersonalDataProtector#redact}).
     */
    public static JdbiDeadLetterStore create(Jdbi jdbi, JdbiEventStore store) {
        return new JdbiDeadLetterStore(jdbi, store.tableNames(), false, store.personalData()
                .<java.util.function.UnaryOperator<DeadLetter>>map(protector -> protector::redact)
                .orElse(java.util.function.UnaryOperator.identity()));
    }

    /**
     * Dead letters on {@code jdbi}, in a table named with {@code names}; creates or migrates eskit's tables under those
     * names first ({@link JdbiSchema#migrate}).
     */
    public static JdbiDeadLetterStore create(Jdbi jdbi, TableNames names) {
        return new JdbiDeadLetterStore(jdbi, names, true, java.util.function.UnaryOperator.identity());
    }

    @Override
    public void put(DeadLetter given) {
        DeadLetter letter = redact.apply(Objects.requireNonNull(given, "deadLetter"));
        db.inHandle("store dead letter", true, handle -> {
            handle.execute("DELETE FROM " + table + " WHERE id = ?", letter.id().toString());
            return handle.createUpdate("INSERT INTO " + table + " (" + COLUMNS
                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, letter.id().toString())
                    .bind(1, letter.subscription())
                    .bind(2, letter.eventId().toString())
                    .bind(3, letter.stream().type())
                    .bind(4, letter.stream().id())
                    .bind(5, letter.version())
                    .bind(6, letter.eventType())
                    .bind(7, letter.position().commitOrder())
                    .bind(8, letter.position().sequence())
                    .bind(9, letter.attempts())
                    .bind(10, letter.error())
                    .bind(11, WriteTransactions.micros(letter.firstFailedAt()))
                    .bind(12, WriteTransactions.micros(letter.lastFailedAt()))
                    .execute();
        });
    }

    @Override
    public List<DeadLetter> list(String subscription, int limit) {
        Names.check("Subscription name", subscription);
        EventStore.checkReadLimit(limit);
        return db.inHandle("list dead letters", false, handle -> handle.select("SELECT " + COLUMNS + " FROM " + table
                + " WHERE subscription = ? ORDER BY commit_order, sequence, first_failed_at LIMIT ?", subscription,
                limit).map((rows, context) -> letter(rows)).list());
    }

    @Override
    public Optional<DeadLetter> find(UUID id) {
        Objects.requireNonNull(id, "id");
        return db.inHandle("find dead letter", false, handle -> handle.select("SELECT " + COLUMNS + " FROM " + table
                + " WHERE id = ?", id.toString()).map((rows, context) -> letter(rows)).findFirst());
    }

    @Override
    public long count(String subscription) {
        Names.check("Subscription name", subscription);
        return db.inHandle("count dead letters", false, handle -> handle.select("SELECT count(*) FROM " + table
                + " WHERE subscription = ?", subscription).mapTo(Long.class).one());
    }

    @Override
    public boolean delete(UUID id) {
        Objects.requireNonNull(id, "id");
        return db.inHandle("delete dead letter", true, handle -> handle.execute("DELETE FROM " + table
                + " WHERE id = ?", id.toString()) == 1);
    }

    @Override
    public int deleteAll(String subscription) {
        Names.check("Subscription name", subscription);
        return db.inHandle("delete dead letters", true, handle -> handle.execute("DELETE FROM " + table
                + " WHERE subscription = ?", subscription));
    }

    private static DeadLetter letter(ResultSet rows) throws SQLException {
        return new DeadLetter(UUID.fromString(rows.getString(1)), rows.getString(2), UUID.fromString(rows.getString(3)),
                StreamRef.of(rows.getString(4), rows.getString(5)), rows.getLong(6), rows.getString(7),
                new Position(rows.getLong(8), rows.getLong(9)), rows.getInt(10), rows.getString(11),
                WriteTransactions.instant(rows.getLong(12)), WriteTransactions.instant(rows.getLong(13)));
    }
}

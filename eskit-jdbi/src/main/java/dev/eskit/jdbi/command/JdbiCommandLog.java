package dev.eskit.jdbi.command;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.command.log.CommandLog;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandLogQuery;
import dev.eskit.command.log.CommandOutcome;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.TableNames;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * The command log in a table next to a {@link JdbiEventStore}'s tables ({@code <prefix>command_log}, created by
 * migration 6). An accepted command's entry is inserted in the transaction that appends its events, so an entry never
 * claims events that did not commit, and events never commit without their entry.
 *
 * <pre>{@code
 * JdbiEventStore store = JdbiEventStore.postgres(url, codec);
 * CommandLog log = JdbiCommandLog.create(Jdbi.create(dataSource), store);
 * CommandBus bus = CommandBus.builder(store).register(routes)
 *     .commandLog(CommandRecorder.of(log, CommandTypes.discover()).retention(Duration.ofDays(30)))
 *     .build();
 * }</pre>
 *
 * <p>The bus must be built on this very store instance for the shared transaction (a decorated store appends, then
 * logs). {@code jdbi} must reach the store's database.
 */
public final class JdbiCommandLog implements CommandLog {

    /** Metadata extras are a JSON object of strings, read and written with jackson-core alone (no databind). */
    private static final JsonFactory JSON = new JsonFactory();
    private static final String COLUMNS = "command_id, command_type, stream_type, stream_id, payload, correlation_id,"
            + " causation_id, initiator, originator, extras, outcome, event_count, first_position, last_position,"
            + " stream_version, error, started_at, duration_micros";

    private final Transactions db;
    private final JdbiEventStore store;
    private final String table;

    private JdbiCommandLog(Jdbi jdbi, JdbiEventStore store, TableNames names) {
        this.db = new Transactions(Objects.requireNonNull(jdbi, "jdbi"));
        this.store = store;
        this.table = names.table("command_log");
    }

    /** The log in {@code store}'s schema and table prefix, reached through {@code jdbi}. */
    public static JdbiCommandLog create(Jdbi jdbi, JdbiEventStore store) {
        return new JdbiCommandLog(jdbi, Objects.requireNonNull(store, "store"), store.tableNames());
    }

    /** A read-only view (for tools) of the log under {@code names}; appends through it are never shared. */
    public static JdbiCommandLog reader(Jdbi jdbi, TableNames names) {
        return new JdbiCommandLog(jdbi, null, Objects.requireNonNull(names, "names"));
    }

    @Override
    public void record(CommandLogEntry entry) {
        Objects.requireNonNull(entry, "entry");
        db.write("record command " + entry.commandId(), handle -> {
            insert(handle.getConnection(), entry);
            return null;
        });
    }

    @Override
    public AppendResult appendAndRecord(EventStore target, AppendRequest request,
                                        Function<AppendResult, CommandLogEntry> entry) {
        if (store == null || target != store) {
            return CommandLog.super.appendAndRecord(target, request, entry);
        }
        return db.write("append and log a command to " + request.stream(), handle -> {
            AppendResult result = store.append(handle, request);
            if (!result.duplicate()) {
                insert(handle.getConnection(), entry.apply(result));
            }
            return result;
        });
    }

    private void insert(Connection connection, CommandLogEntry e) throws SQLException {
        String sql = "INSERT INTO " + table + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?) ON CONFLICT (command_id) DO NOTHING";
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            Metadata m = e.metadata();
            insert.setString(1, e.commandId());
            insert.setString(2, e.commandType());
            insert.setString(3, e.stream().type());
            insert.setString(4, e.stream().id());
            insert.setString(5, e.payload());
            insert.setString(6, m.correlationId());
            insert.setString(7, m.causationId());
            insert.setString(8, m.initiator());
            insert.setString(9, m.originator());
            insert.setString(10, m.extras().isEmpty() ? null : json(m.extras()));
            insert.setString(11, e.outcome().name());
            insert.setInt(12, e.eventCount());
            insert.setString(13, e.firstPosition() == null ? null : e.firstPosition().toToken());
            insert.setString(14, e.lastPosition() == null ? null : e.lastPosition().toToken());
            insert.setLong(15, e.streamVersion());
            insert.setString(16, e.error());
            insert.setLong(17, Transactions.micros(e.startedAt()));
            insert.setLong(18, e.duration().toNanos() / 1_000);
            insert.executeUpdate();
        }
    }

    @Override
    public Optional<CommandLogEntry> find(String commandId) {
        Objects.requireNonNull(commandId, "commandId");
        return db.read("find command " + commandId, handle -> {
            try (PreparedStatement select = handle.getConnection().prepareStatement("SELECT " + COLUMNS + " FROM "
                    + table + " WHERE command_id = ?")) {
                select.setString(1, commandId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(entry(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<CommandLogEntry> list(CommandLogQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + table + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (query.commandType() != null) {
            sql.append(" AND command_type = ?");
            args.add(query.commandType());
        }
        if (query.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(query.outcome().name());
        }
        if (query.from() != null) {
            sql.append(" AND started_at >= ?");
            args.add(Transactions.micros(query.from()));
        }
        if (query.to() != null) {
            sql.append(" AND started_at < ?");
            args.add(Transactions.micros(query.to()));
        }
        if (query.correlationId() != null) {
            sql.append(" AND correlation_id = ?");
            args.add(query.correlationId());
        }
        sql.append(" ORDER BY started_at DESC, command_id DESC LIMIT ").append(query.limit());
        return db.read("list the command log", handle -> {
            try (PreparedStatement select = handle.getConnection().prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    select.setObject(i + 1, args.get(i));
                }
                List<CommandLogEntry> entries = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(entry(rows));
                    }
                }
                return entries;
            }
        });
    }

    @Override
    public int deleteStartedBefore(Instant cutoff) {
        long micros = Transactions.micros(cutoff);
        return db.write("delete expired command log entries", handle -> {
            try (PreparedStatement delete = handle.getConnection().prepareStatement("DELETE FROM " + table
                    + " WHERE started_at < ?")) {
                delete.setLong(1, micros);
                return delete.executeUpdate();
            }
        });
    }

    /** The protector of the store's codec, when the log was made for a store ({@link #create}) that has one. */
    @Override
    public Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return store == null ? Optional.empty() : store.personalData();
    }

    private static CommandLogEntry entry(ResultSet row) throws SQLException {
        String extras = row.getString("extras");
        Metadata metadata = new Metadata(row.getString("correlation_id"), row.getString("causation_id"),
                row.getString("initiator"), row.getString("originator"), extras == null ? Map.of() : map(extras));
        String first = row.getString("first_position");
        String last = row.getString("last_position");
        return new CommandLogEntry(row.getString("command_id"), row.getString("command_type"),
                StreamRef.of(row.getString("stream_type"), row.getString("stream_id")), row.getString("payload"),
                metadata, CommandOutcome.valueOf(row.getString("outcome")), row.getInt("event_count"),
                first == null ? null : Position.parse(first), last == null ? null : Position.parse(last),
                row.getLong("stream_version"), row.getString("error"), Transactions.instant(row.getLong("started_at")),
                Duration.ofNanos(row.getLong("duration_micros") * 1_000));
    }

    static String json(Map<String, String> extras) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, String> extra : extras.entrySet()) {
                json.writeStringField(extra.getKey(), extra.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("A map of strings is always JSON", e);
        }
        return out.toString();
    }

    /**
     * The extras a row stores; also reads what jackson-databind wrote before (the same JSON). Numbers and booleans are
     * read as their text, as databind read them into strings.
     */
    static Map<String, String> map(String json) {
        Map<String, String> extras = new java.util.LinkedHashMap<>();
        try (JsonParser in = JSON.createParser(json)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw notStrings(json, null);
            }
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String name = in.currentName();
                JsonToken value = in.nextToken();
                if (value == null || !value.isScalarValue() || value == JsonToken.VALUE_NULL
                        || value == JsonToken.VALUE_EMBEDDED_OBJECT) {
                    throw notStrings(json, null);
                }
                extras.put(name, in.getText());
            }
            if (in.nextToken() != null) {
                throw notStrings(json, null);
            }
        } catch (IOException e) {
            throw notStrings(json, e);
        }
        return extras;
    }

    private static dev.eskit.EventDecodingException notStrings(String json, IOException cause) {
        return new dev.eskit.EventDecodingException("Stored metadata extras " + json + " are not a JSON object of"
                + " strings. The row was changed by hand; fix it.", cause);
    }
}

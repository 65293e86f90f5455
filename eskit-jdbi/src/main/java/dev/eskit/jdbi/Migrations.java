package dev.eskit.jdbi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * The versioned schema of a store. Each version is a plain SQL script per database, shipped as a resource
 * ({@code dev/eskit/jdbi/<database>/V<n>__<name>.sql}, usable by Flyway or Liquibase with the placeholders {@code q}
 * and {@code p}), run once per schema in one transaction; each script records itself in the migrations table, so a
 * schema migrated by another tool opens like one migrated here. The migrations table
 * must be eskit's own: a table of that name with other columns or other rows (an application's
 * {@code schema_migrations} under an empty prefix) is refused with an error instead of being trusted.
 */
final class Migrations {

    /** A script: its version, the description recorded with it, its file name. */
    record Script(int version, String description, String file) {
    }

    /** Every version, in order; the files exist for every database. */
    static final List<Script> SCRIPTS = List.of(
            new Script(1, "events, streams, idempotency keys, snapshots, checkpoints",
                    "V1__events_streams_idempotency_snapshots_checkpoints.sql"),
            new Script(2, "event tags and an event type index for Dynamic Consistency Boundary queries",
                    "V2__tags.sql"),
            new Script(3, "todo items, dead letters, subject keys", "V3__todo_dead_letters_subject_keys.sql"),
            new Script(4, "tombstone reason and time", "V4__tombstone_reason_time.sql"),
            new Script(5, "per-row event codec", "V5__event_codec.sql"),
            new Script(6, "command log, command queue", "V6__command_log_command_queue.sql"),
            new Script(7, "partition leases and node heartbeats", "V7__partition_leases.sql"),
            new Script(8, "command versions in the command queue", "V8__command_version.sql"),
            new Script(9, "shadow rebuild requests", "V9__rebuild_requests.sql"),
            new Script(10, "stream versions from events", "V10__stream_versions_from_events.sql"),
            new Script(11, "events without AUTOINCREMENT or type index, sequence floor", "V11__sequence_floor.sql"));

    /** The newest schema version this release knows. */
    static final int KNOWN = SCRIPTS.get(SCRIPTS.size() - 1).version();

    /** The oldest schema version this release reads (event reads select the codec column of version 5). */
    static final int READABLE = 5;

    private final Database db;
    private final TableNames tables;

    Migrations(Database db) {
        this.db = db;
        this.tables = db.dialect().tables;
    }

    /** Migrates ({@code autoMigrate}) or checks the tables ({@code openExisting}: any known version). */
    void prepare(boolean openExisting, boolean autoMigrate) {
        if (openExisting) {
            Set<Integer> applied = check(false);
            if (!applied.contains(11) && db.dialect() instanceof SqliteDialect sqlite) {
                // Tables opened as they are, from before version 11: AUTOINCREMENT still numbers the events.
                sqlite.numberEvents(false);
            }
        } else if (autoMigrate) {
            migrate();
        } else {
            check(true);
        }
    }

    /**
     * Creates the tables or brings them to {@link #KNOWN}, under a lock so that processes migrate one at a time. Tables
     * that have every version already are left alone without taking the lock (a read): opening a store again needs no
     * write transaction, so it does not wait for another process's (SQLite's single writer, say).
     */
    void migrate() {
        if (upToDate()) {
            return;
        }
        run("create or migrate the tables " + tables, handle -> {
            db.beginMigration(handle);
            handle.execute("CREATE TABLE IF NOT EXISTS " + tables.migrations() + " (version INTEGER NOT NULL"
                    + " PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
            Set<Integer> applied = applied(handle);
            for (Script script : SCRIPTS) {
                // Every missing version runs, not only those above the newest: a schema migrated by a build that
                // lacked a version (or by a tool that skipped one) still gets it.
                if (applied.contains(script.version())) {
                    continue;
                }
                // Each script records itself in the migrations table (so do Flyway runs of the same scripts).
                for (String statement : statements(script)) {
                    handle.execute(statement);
                }
            }
            return null;
        }, true);
    }

    /** Whether every script's version is applied, read without a lock; false when that cannot be told. */
    private boolean upToDate() {
        Set<Integer> applied;
        try {
            applied = db.read(this::applied);
        } catch (SQLException | RuntimeException unknown) {
            // No tables yet, or an unreadable schema: the migration under its lock creates them or says why.
            return false;
        }
        for (Script script : SCRIPTS) {
            if (!applied.contains(script.version())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks, without changing anything, that the tables exist at a version this release can use.
     *
     * @param exact whether the version must be {@link #KNOWN} (auto-migration off) rather than any known one
     *              (read-only tools)
     * @return the applied versions
     */
    Set<Integer> check(boolean exact) {
        Set<Integer> applied;
        try {
            applied = db.read(this::applied);
        } catch (SQLException e) {
            if (db.dialect().isMissingTable(e)) {
                throw new StoreConfigurationException("The database has no eskit tables " + tables + " (table "
                        + tables.migrations() + " is missing). Check the URL, the schema and the table prefix, or"
                        + " create the tables: let a store with auto-migration create them, or run the scripts in"
                        + " dev/eskit/jdbi/" + db.dialect().migrationFolder() + "/ of eskit-jdbi.");
            }
            throw new StoreAccessException("read the schema version of the tables " + tables, e);
        } catch (JdbiException e) {
            throw Database.unreachable("read the schema version of the tables " + tables, e);
        }
        if (applied.isEmpty()) {
            throw new StoreConfigurationException("The eskit tables " + tables + " were never migrated. Let a store"
                    + " with auto-migration create them first, or run the scripts in dev/eskit/jdbi/"
                    + db.dialect().migrationFolder() + "/.");
        }
        int needed = exact ? KNOWN : READABLE;
        List<Integer> missing = missing(applied, needed);
        if (!missing.isEmpty()) {
            throw new StoreConfigurationException("The tables " + tables + " are at schema version "
                    + Collections.max(applied) + " but this eskit needs version " + needed + " and the versions "
                    + missing + " are not applied. Run the scripts " + missing.stream().map(v -> "V" + v)
                    .collect(Collectors.joining(", ")) + " in dev/eskit/jdbi/" + db.dialect().migrationFolder()
                    + "/ of eskit-jdbi (Flyway or Liquibase can), or turn auto-migration on.");
        }
        return applied;
    }

    /** The versions up to {@code needed} that are not in {@code applied}, in order. */
    static List<Integer> missing(Set<Integer> applied, int needed) {
        List<Integer> missing = new ArrayList<>();
        for (Script script : SCRIPTS) {
            if (script.version() <= needed && !applied.contains(script.version())) {
                missing.add(script.version());
            }
        }
        return missing;
    }

    /**
     * The applied versions (empty for none), after checking that the migrations table is eskit's.
     *
     * @throws StoreConfigurationException when the table holds versions unknown to this release or rows that are not
     *                                     eskit's
     */
    private Set<Integer> applied(Handle handle) throws SQLException {
        List<Map<String, Object>> rows;
        try {
            rows = handle.createQuery("SELECT version, description FROM " + tables.migrations() + " ORDER BY version")
                    .mapToMap().list();
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql) {
                if (db.dialect().isMissingTable(sql)) {
                    throw sql;
                }
                throw foreign("it has other columns (" + sql.getMessage() + ")");
            }
            throw e;
        }
        Set<Integer> applied = new TreeSet<>();
        for (Map<String, Object> row : rows) {
            int version = ((Number) row.get("version")).intValue();
            String description = String.valueOf(row.get("description"));
            if (version > KNOWN) {
                throw new StoreConfigurationException("The tables " + tables + " are at schema version " + version
                        + " but this eskit knows versions up to " + KNOWN + ". Upgrade eskit-jdbi (the schema was"
                        + " migrated by a newer release), or use another table prefix.");
            }
            if (SCRIPTS.stream().noneMatch(s -> s.version() == version && s.description().equals(description))) {
                throw foreign("it records version " + version + " \"" + description + "\", which is not an eskit"
                        + " migration");
            }
            applied.add(version);
        }
        return applied;
    }

    private StoreConfigurationException foreign(String why) {
        return new StoreConfigurationException("Table " + tables.migrations() + " is not eskit's: " + why + ". It"
                + " probably belongs to your application. Give the store a table prefix (tablePrefix(\"eskit_\")) or"
                + " another schema so that its tables do not mix with yours.");
    }

    /** The statements of {@code script} for this database, with the table names filled in. */
    List<String> statements(Script script) {
        String text = resource(db.dialect().migrationFolder(), script.file())
                .replace("${q}", tables.render("{q}")).replace("${p}", tables.prefix());
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.stripLeading().startsWith("--")) {
                continue;
            }
            current.append(current.length() == 0 ? "" : "\n").append(line);
            if (line.stripTrailing().endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }

    private static String resource(String folder, String file) {
        String path = "/dev/eskit/jdbi/" + folder + "/" + file;
        try (InputStream in = Objects.requireNonNull(Migrations.class.getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("eskit-jdbi's migration script " + path + " cannot be read", e);
        }
    }

    private void run(String operation, Database.Work<Void> work, boolean write) {
        try {
            if (write) {
                db.write(work);
            } else {
                db.read(work);
            }
        } catch (SQLException e) {
            throw new StoreAccessException(operation, e);
        } catch (JdbiException e) {
            throw Database.unreachable(operation, e);
        }
    }
}

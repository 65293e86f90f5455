package dev.eskit.jdbi;

import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.gdpr.WrappedKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * A {@link SubjectKeyStore} in a database table {@code <prefix>subject_keys} (subject id, key version, master key id,
 * wrapped key), on SQLite or PostgreSQL. The table belongs to eskit's versioned schema (migration 3), which
 * {@link #create(Jdbi, TableNames)} applies ({@link JdbiSchema#migrate}); it can live in another database than the
 * events (which is recommended: a restored backup of the events must not bring forgotten keys back).
 *
 * <pre>{@code
 * SubjectKeyStore keys = JdbiSubjectKeyStore.create(Jdbi.create("jdbc:postgresql://db/keys"));
 * }</pre>
 *
 * <p>Forgetting deletes the rows. Databases keep deleted rows in free pages and write-ahead logs for a while: run
 * {@code VACUUM} (SQLite) or let autovacuum run (PostgreSQL) and expire old backups to complete the erasure.
 */
public final class JdbiSubjectKeyStore implements SubjectKeyStore {

    private final Jdbi jdbi;
    private final TableNames names;
    private final String table;
    private final String latestSql;
    private final String findSql;
    private final String insertSql;
    private final String replaceSql;
    private final String forgetSql;
    private final String otherMasterSql;

    private JdbiSubjectKeyStore(Jdbi jdbi, TableNames names) {
        this.jdbi = jdbi;
        this.names = names;
        this.table = names.table("subject_keys");
        String columns = "subject_id, key_version, master_key_id, wrapped_key";
        this.latestSql = "SELECT " + columns + " FROM " + table + " WHERE subject_id = ?"
                + " ORDER BY key_version DESC LIMIT 1";
        this.findSql = "SELECT " + columns + " FROM " + table + " WHERE subject_id = ? AND key_version = ?";
        this.insertSql = "INSERT INTO " + table + " (" + columns + ") VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (subject_id, key_version) DO NOTHING";
        this.replaceSql = "UPDATE " + table + " SET master_key_id = ?, wrapped_key = ?"
                + " WHERE subject_id = ? AND key_version = ?";
        this.forgetSql = "DELETE FROM " + table + " WHERE subject_id = ?";
        this.otherMasterSql = "SELECT " + columns + " FROM " + table + " WHERE master_key_id <> ?"
                + " ORDER BY subject_id, key_version LIMIT ?";
        createTable();
    }

    /** A key store in table {@code eskit_subject_keys} of {@code jdbi}'s database. */
    public static JdbiSubjectKeyStore create(Jdbi jdbi) {
        return create(jdbi, TableNames.of(null, TableNames.DEFAULT_PREFIX));
    }

    /**
     * A key store in table {@code <prefix>subject_keys} of {@code names}' schema (which must exist).
     *
     * @throws StoreAccessException when the table cannot be created
     */
    public static JdbiSubjectKeyStore create(Jdbi jdbi, TableNames names) {
        return new JdbiSubjectKeyStore(Objects.requireNonNull(jdbi, "jdbi"), Objects.requireNonNull(names, "names"));
    }

    /** The qualified table name. */
    public String table() {
        return table;
    }

    private void createTable() {
        // The table is part of eskit's versioned schema (migration 3).
        JdbiSchema.migrate(jdbi, names);
    }

    @Override
    public Optional<WrappedKey> latest(String subjectId) {
        return run("read the latest key of a subject", handle -> handle.select(latestSql, subjectId)
                .map((rows, context) -> key(rows)).findFirst());
    }

    @Override
    public Optional<WrappedKey> find(String subjectId, int version) {
        return run("read a subject key", handle -> handle.select(findSql, subjectId, version)
                .map((rows, context) -> key(rows)).findFirst());
    }

    @Override
    public boolean insert(WrappedKey key) {
        return run("insert a subject key", handle -> handle.execute(insertSql, key.subjectId(), key.version(),
                key.masterKeyId(), key.wrapped()) == 1);
    }

    @Override
    public boolean replace(WrappedKey key) {
        return run("re-wrap a subject key", handle -> handle.execute(replaceSql, key.masterKeyId(), key.wrapped(),
                key.subjectId(), key.version()) == 1);
    }

    @Override
    public int forget(String subjectId) {
        return run("delete the keys of a subject", handle -> handle.execute(forgetSql, subjectId));
    }

    @Override
    public List<WrappedKey> wrappedByOtherThan(String masterKeyId, int limit) {
        return run("list keys to re-wrap", handle -> handle.select(otherMasterSql, masterKeyId, limit)
                .map((rows, context) -> key(rows)).list());
    }

    private static WrappedKey key(ResultSet row) throws SQLException {
        return new WrappedKey(row.getString(1), row.getInt(2), row.getString(3), row.getBytes(4));
    }

    private <T> T run(String operation, Function<Handle, T> work) {
        try (Handle handle = jdbi.open()) {
            return work.apply(handle);
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw new StoreAccessException(operation + " in " + table, sql);
            }
            throw new StoreAccessException("Cannot " + operation + " in " + table + ": " + e.getMessage()
                    + ". Check that the database is reachable.", e);
        }
    }
}

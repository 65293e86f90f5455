package dev.eskit.jdbi.subscription;

import dev.eskit.InvalidInputException;
import dev.eskit.projection.rebuild.TableSwap;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The {@link TableSwap} of a {@link dev.eskit.projection.rebuild.ShadowRebuild} on PostgreSQL and SQLite: in the
 * transaction, {@code DROP TABLE live} and {@code ALTER TABLE shadow RENAME TO live}. Both databases run DDL inside
 * transactions, so readers see the old table until the commit (on PostgreSQL they wait for the swap's lock for as long
 * as it takes to commit) and the new one after it. Names may be schema-qualified ({@code billing.balances}); both must
 * be in the same schema. {@link #dropLeftovers} drops the shadow tables of runs that never swapped.
 */
public final class JdbiTableSwap implements TableSwap<Handle> {

    private static final Pattern NAME = Pattern.compile("([a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,62}");

    private JdbiTableSwap() {
    }

    /** The swap. */
    public static JdbiTableSwap create() {
        return new JdbiTableSwap();
    }

    @Override
    public void swap(Handle transaction, String live, String shadow) {
        check(live);
        check(shadow);
        String schema = live.contains(".") ? live.substring(0, live.indexOf('.') + 1) : "";
        if (!shadow.startsWith(schema) || shadow.contains(".") != live.contains(".")) {
            throw new InvalidInputException("Tables \"" + live + "\" and \"" + shadow + "\" are in different schemas."
                    + " Keep a shadow table in its live table's schema.");
        }
        transaction.execute("DROP TABLE IF EXISTS " + live);
        transaction.execute("ALTER TABLE " + shadow + " RENAME TO " + live.substring(schema.length()));
    }

    @Override
    public List<String> dropLeftovers(Handle transaction, String live) {
        List<String> dropped = leftovers(transaction, live);
        for (String table : dropped) {
            transaction.execute("DROP TABLE IF EXISTS " + table);
        }
        return dropped;
    }

    /**
     * The shadow tables of {@code live} that exist: tables named {@code <live>_s<run>} ({@code run} 13 digits, as
     * {@link dev.eskit.projection.rebuild.ShadowRebuild} names them) in {@code live}'s schema (the
     * current schema when {@code live} has none), with that schema in front when {@code live} has one.
     */
    public static List<String> leftovers(Handle handle, String live) {
        check(live);
        int dot = live.indexOf('.');
        String schema = dot < 0 ? null : live.substring(0, dot);
        String base = live.substring(dot + 1);
        Pattern shadow = Pattern.compile(Pattern.quote(base) + "_s[0-9]{13}");
        boolean sqlite;
        try {
            sqlite = handle.getConnection().getMetaData().getDatabaseProductName().equals("SQLite");
        } catch (java.sql.SQLException e) {
            throw new dev.eskit.jdbi.StoreAccessException("list the shadow tables of " + live, e);
        }
        List<String> names;
        if (sqlite) {
            names = handle.createQuery("SELECT name FROM sqlite_master WHERE type = 'table'").mapTo(String.class)
                    .list();
        } else {
            names = handle.createQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                    + (schema == null ? "current_schema()" : ":schema")).bindMap(schema == null ? java.util.Map.of()
                    : java.util.Map.of("schema", schema)).mapTo(String.class).list();
        }
        List<String> found = new ArrayList<>();
        for (String name : names) {
            if (shadow.matcher(name).matches()) {
                found.add(schema == null ? name : schema + "." + name);
            }
        }
        found.sort(null);
        return found;
    }

    private static void check(String table) {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new InvalidInputException("Table name \"" + table + "\" is not allowed in a swap. Use lower-case"
                    + " letters, digits and underscores, optionally after a schema and a dot.");
        }
    }
}

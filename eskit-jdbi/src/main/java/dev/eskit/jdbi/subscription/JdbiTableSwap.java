package dev.eskit.jdbi.subscription;

import dev.eskit.InvalidInputException;
import dev.eskit.projection.rebuild.TableSwap;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * The {@link TableSwap} of a {@link dev.eskit.projection.rebuild.ShadowRebuild} on PostgreSQL and SQLite: in the
 * transaction, {@code DROP TABLE live} and {@code ALTER TABLE shadow RENAME TO live}. Both databases run DDL inside
 * transactions, so readers see the old table until the commit (on PostgreSQL they wait for the swap's lock for as long
 * as it takes to commit) and the new one after it. Names may be schema-qualified ({@code billing.balances}); both must
 * be in the same schema.
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

    private static void check(String table) {
        if (table == null || !NAME.matcher(table).matches()) {
            throw new InvalidInputException("Table name \"" + table + "\" is not allowed in a swap. Use lower-case"
                    + " letters, digits and underscores, optionally after a schema and a dot.");
        }
    }
}

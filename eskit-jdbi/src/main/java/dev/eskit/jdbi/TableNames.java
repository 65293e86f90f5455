package dev.eskit.jdbi;

import java.util.regex.Pattern;

/**
 * The validated names of a store's tables: an optional schema (PostgreSQL only) and a table prefix. Names are checked
 * against a strict pattern before any of them reaches SQL, so they can never inject anything.
 *
 * <pre>{@code
 * TableNames names = TableNames.of("billing", "eskit_");   // billing.eskit_events, billing.eskit_streams, ...
 * }</pre>
 */
public final class TableNames {

    /** The default table prefix. */
    public static final String DEFAULT_PREFIX = "eskit_";

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,39}");
    private static final Pattern PREFIX = Pattern.compile("([a-z_][a-z0-9_]{0,29})?");

    /** PostgreSQL's reserved key words: as a schema name they would need quoting, so they are refused. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("all", "analyse", "analyze", "and", "any",
            "array", "as", "asc", "asymmetric", "authorization", "binary", "both", "case", "cast", "check", "collate",
            "collation", "column", "concurrently", "constraint", "create", "cross", "current_catalog", "current_date",
            "current_role", "current_schema", "current_time", "current_timestamp", "current_user", "default",
            "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch", "for", "foreign",
            "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner", "intersect",
            "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
            "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
            "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user",
            "similar", "some", "symmetric", "system_user", "table", "tablesample", "then", "to", "trailing", "true",
            "union", "unique", "user", "using", "variadic", "verbose", "when", "where", "window", "with");

    private final String schema;
    private final String prefix;
    private final String qualifier;

    private TableNames(String schema, String prefix) {
        this.schema = schema;
        this.prefix = prefix;
        this.qualifier = schema == null ? prefix : schema + "." + prefix;
    }

    /**
     * Validated names.
     *
     * @param schema the schema, or {@code null} for none (SQLite, or PostgreSQL's {@code search_path})
     * @param prefix the table prefix; may be empty
     * @throws StoreConfigurationException when a name breaks the pattern
     */
    public static TableNames of(String schema, String prefix) {
        if (schema != null && !SCHEMA.matcher(schema).matches()) {
            throw new StoreConfigurationException("Schema name \"" + schema + "\" is not allowed. Use 1 to 40"
                    + " characters of lower-case letters, digits and underscores, starting with a letter or"
                    + " underscore, such as \"eskit\".");
        }
        if (schema != null && RESERVED.contains(schema)) {
            throw new StoreConfigurationException("Schema name \"" + schema + "\" is a reserved SQL key word, which"
                    + " eskit does not quote. Use another name, such as \"" + schema + "_events\".");
        }
        if (schema != null && (schema.startsWith("pg_") || schema.equals("information_schema"))) {
            throw new StoreConfigurationException("Schema \"" + schema + "\" is a PostgreSQL system schema. Keep"
                    + " eskit's tables in a schema of your own, such as \"eskit\" (or \"public\").");
        }
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            throw new StoreConfigurationException("Table prefix \"" + prefix + "\" is not allowed. Use at most 30"
                    + " characters of lower-case letters, digits and underscores, starting with a letter or"
                    + " underscore, such as \"eskit_\" (or an empty prefix).");
        }
        return new TableNames(schema, prefix);
    }

    /** The schema, or {@code null}. */
    public String schema() {
        return schema;
    }

    /** The table prefix (possibly empty). */
    public String prefix() {
        return prefix;
    }

    /** The qualified name of table {@code name} (such as {@code "billing.eskit_events"} for {@code "events"}). */
    public String table(String name) {
        return qualifier + name;
    }

    /** The events table. */
    public String events() {
        return table("events");
    }

    /** The streams table: one row per stream, its status (its version is the highest of its events'). */
    public String streams() {
        return table("streams");
    }

    /** The idempotency-key table. */
    public String idempotency() {
        return table("idempotency");
    }

    /** The snapshots table. */
    public String snapshots() {
        return table("snapshots");
    }

    /** The checkpoints table. */
    public String checkpoints() {
        return table("checkpoints");
    }

    /** The event tags table (Dynamic Consistency Boundary queries). */
    public String tags() {
        return table("tags");
    }

    /** The table that records applied migrations. */
    public String migrations() {
        return table("schema_migrations");
    }

    /**
     * Replaces the placeholders {@code {events}}, {@code {streams}}, {@code {idempotency}}, {@code {snapshots}},
     * {@code {checkpoints}}, {@code {tags}}, {@code {migrations}} (qualified table names), {@code {schema}}, {@code {q}} (the
     * qualifier: schema and dot, then prefix) and {@code {p}} (the bare prefix, for index and constraint names).
     */
    public String render(String template) {
        return template
                .replace("{events}", events())
                .replace("{streams}", streams())
                .replace("{idempotency}", idempotency())
                .replace("{snapshots}", snapshots())
                .replace("{checkpoints}", checkpoints())
                .replace("{tags}", tags())
                .replace("{migrations}", migrations())
                .replace("{schema}", schema == null ? "" : schema)
                .replace("{q}", qualifier)
                .replace("{p}", prefix);
    }

    @Override
    public String toString() {
        return qualifier + "*";
    }
}

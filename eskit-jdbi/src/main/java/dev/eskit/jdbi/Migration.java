package dev.eskit.jdbi;

import java.util.List;

/**
 * One versioned schema change: statements run in one transaction and recorded in the migrations table, so that each
 * runs once per schema. Statements are templates for {@link TableNames#render(String)}.
 *
 * @param version     the migration's number; applied in ascending order
 * @param description what it does, recorded with it
 * @param statements  the DDL templates
 */
public record Migration(int version, String description, List<String> statements) {

    /** Copies the statement list. */
    public Migration {
        statements = List.copyOf(statements);
    }
}

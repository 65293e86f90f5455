package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of Dynamic Consistency Boundary queries, built from the dialect's fragments: one sub-select per query item
 * (each in log order with its own limit), joined by UNION, over the tags table (items with tags) or the events table.
 */
final class DcbQueries {

    private final Dialect dialect;

    DcbQueries(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * A statement that selects up to {@code limit} events matching {@code query} after {@code after}, in log order:
     * below the read horizon, or every committed one when {@code horizon} is false (under the boundary locks).
     */
    PreparedStatement prepareRead(Connection connection, Query query, Position after, int limit, boolean horizon)
            throws SQLException {
        List<Dialect.Binder> binders = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ").append(dialect.columns).append(" FROM ")
                .append(dialect.tables.events()).append(" WHERE (").append(dialect.logKey("")).append(") IN (");
        itemUnion(sql, binders, query, after, limit, horizon);
        sql.append(") ORDER BY ").append(dialect.logKey("")).append(" LIMIT ?");
        binders.add((statement, index) -> {
            statement.setInt(index, limit);
            return index + 1;
        });
        return bound(connection, sql.toString(), binders);
    }

    /**
     * The position of an event matching {@code query} after {@code after} (everything committed, no horizon), or
     * {@code null}. Call it under the boundary locks.
     */
    Position findConflict(Connection connection, Query query, Position after) throws SQLException {
        List<Dialect.Binder> binders = new ArrayList<>();
        try (PreparedStatement statement = bound(connection, conflictSql(query, after, binders), binders);
             ResultSet row = statement.executeQuery()) {
            return row.next() ? dialect.position(row.getLong(2), row.getLong(1)) : null;
        }
    }

    /**
     * The query of {@link #findConflict} (columns: sequence number, commit order; at most one row), its parameters'
     * binders added to {@code binders} in order: for a statement that embeds the condition check.
     */
    String conflictSql(Query query, Position after, List<Dialect.Binder> binders) {
        StringBuilder sql = new StringBuilder("SELECT c.seq, ").append(dialect.commitOrderSql("c")).append(" FROM (");
        itemUnion(sql, binders, query, after, 1, false);
        return sql.append(") c LIMIT 1").toString();
    }

    private static PreparedStatement bound(Connection connection, String sql, List<Dialect.Binder> binders)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            int index = 1;
            for (Dialect.Binder binder : binders) {
                index = binder.bind(statement, index);
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private void itemUnion(StringBuilder sql, List<Dialect.Binder> binders, Query query, Position after, int limit,
                           boolean horizon) {
        List<QueryItem> items = query.isAll() ? List.of(QueryItem.any()) : query.items();
        TableNames tables = dialect.tables;
        for (int i = 0; i < items.size(); i++) {
            QueryItem item = items.get(i);
            if (i > 0) {
                sql.append(" UNION ");
            }
            String alias;
            sql.append("SELECT * FROM (SELECT ");
            if (item.tags().isEmpty()) {
                alias = "x";
                sql.append(dialect.logKey(alias)).append(" FROM ").append(tables.events()).append(" x WHERE ");
            } else {
                alias = "a0";
                sql.append(dialect.logKey(alias)).append(" FROM ").append(tables.tags()).append(" a0");
                List<Tag> tags = item.tags();
                for (int t = 1; t < tags.size(); t++) {
                    String other = "a" + t;
                    sql.append(" JOIN ").append(tables.tags()).append(' ').append(other).append(" ON ")
                            .append(other).append(".tag = ? AND ").append(other).append(".event_type = a0.event_type");
                    for (String column : dialect.logKey("").split(", ")) {
                        sql.append(" AND ").append(other).append('.').append(column).append(" = a0.").append(column);
                    }
                    binders.add(string(tags.get(t).value()));
                }
                sql.append(" WHERE a0.tag = ? AND ");
                binders.add(string(tags.get(0).value()));
            }
            if (!item.types().isEmpty()) {
                sql.append(alias).append(".event_type IN (");
                for (int t = 0; t < item.types().size(); t++) {
                    sql.append(t == 0 ? "?" : ", ?");
                    binders.add(string(item.types().get(t)));
                }
                sql.append(") AND ");
            }
            sql.append(dialect.afterSql(alias));
            binders.add(dialect.bindAfter(after));
            if (horizon) {
                sql.append(dialect.horizonSql(alias));
            }
            sql.append(" ORDER BY ").append(dialect.logKey(alias)).append(" LIMIT ?) i").append(i);
            binders.add((statement, index) -> {
                statement.setInt(index, limit);
                return index + 1;
            });
        }
    }

    private static Dialect.Binder string(String value) {
        return (statement, index) -> {
            statement.setString(index, value);
            return index + 1;
        };
    }
}

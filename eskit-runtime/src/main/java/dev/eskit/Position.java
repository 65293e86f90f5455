package dev.eskit;

/**
 * A place in a store's global log. Treat it as an opaque, comparable token: store it with {@link #toToken()}, read
 * it back with {@link #parse(String)}, compare it with {@link #compareTo(Position)}, and never do arithmetic on it.
 *
 * <p>On PostgreSQL the log is ordered by (commit order, sequence) so that events committed out of order are never
 * skipped; on SQLite and in memory the commit order is always 0 and the sequence alone orders the log. Positions of
 * different stores are not comparable.
 *
 * @param commitOrder the transaction order (0 where the sequence alone is enough)
 * @param sequence    the event's global sequence number (1 for the first event of a store)
 */
public record Position(long commitOrder, long sequence) implements Comparable<Position> {

    /** The position before the first event: reading after it reads the whole log. */
    public static final Position START = new Position(0, 0);

    /** Validates both parts. */
    public Position {
        if (commitOrder < 0 || sequence < 0) {
            throw new InvalidInputException("Position (" + commitOrder + ", " + sequence
                    + ") has a negative part. Use Position.START or a position read from the store.");
        }
    }

    /** A position with commit order 0, as SQLite and the in-memory store use. */
    public static Position of(long sequence) {
        return new Position(0, sequence);
    }

    /** Reads a token made by {@link #toToken()}. */
    public static Position parse(String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        try {
            if (dot > 0) {
                return new Position(Long.parseLong(token.substring(0, dot)), Long.parseLong(token.substring(dot + 1)));
            }
            return Position.of(Long.parseLong(token));
        } catch (NumberFormatException | NullPointerException e) {
            throw new InvalidInputException("\"" + token + "\" is not a position token. Use a value made by"
                    + " Position.toToken(), such as \"0.42\".");
        }
    }

    /** The token form, {@code "<commitOrder>.<sequence>"}. */
    public String toToken() {
        return commitOrder + "." + sequence;
    }

    @Override
    public int compareTo(Position other) {
        int byCommit = Long.compare(commitOrder, other.commitOrder);
        return byCommit != 0 ? byCommit : Long.compare(sequence, other.sequence);
    }

    /** Whether this position comes after {@code other}. */
    public boolean isAfter(Position other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return toToken();
    }
}

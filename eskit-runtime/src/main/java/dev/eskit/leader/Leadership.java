package dev.eskit.leader;

/**
 * The right to run one named role, held until it is closed or lost. A holder must call {@link #isHeld()} before it
 * acts (before a read, a checkpoint save, a transaction), because the right can be lost at any time: on PostgreSQL
 * when the dedicated connection that holds the lock drops.
 */
public interface Leadership extends AutoCloseable {

    /** The role's name. */
    String name();

    /**
     * Re-verifies that this holder still has the right (on PostgreSQL: its connection is alive and still holds the
     * lock). Once it returns {@code false} it never returns {@code true} again; acquire anew instead.
     */
    boolean isHeld();

    /** Gives the right up so that another node can take it at once. Closing twice is harmless. */
    @Override
    void close();
}

package dev.eskit.leader;

import java.util.Optional;

/**
 * Grants each named role (a subscription, a todo processor) to at most one node at a time, so that N application
 * nodes pointed at one database run it once. On PostgreSQL the Jdbi module implements it with session advisory locks
 * on a dedicated connection; {@link #inMemory()} serves one JVM and tests. Implementations are thread-safe.
 */
public interface LeaderElection extends AutoCloseable {

    /**
     * Tries, without waiting, to become the leader of {@code name}.
     *
     * @return the leadership, or empty when another holder has it
     * @throws dev.eskit.InvalidInputException when {@code name} breaks the name rules
     */
    Optional<Leadership> tryAcquire(String name);

    /** Gives up every leadership this election holds and releases its resources. */
    @Override
    default void close() {
    }

    /** A new election among the callers of one JVM. */
    static InMemoryLeaderElection inMemory() {
        return new InMemoryLeaderElection();
    }
}

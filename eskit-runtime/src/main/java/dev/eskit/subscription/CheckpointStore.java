package dev.eskit.subscription;

import dev.eskit.Position;
import java.util.Optional;

/**
 * Remembers how far each named subscription has read the global log. Implementations are thread-safe.
 *
 * <p>Names follow the stream-id rules: non-empty, at most {@link dev.eskit.Limits#MAX_ID_LENGTH} characters, no NUL
 * byte ({@link dev.eskit.InvalidInputException} otherwise).
 */
public interface CheckpointStore {

    /** The saved position of subscription {@code name}, or empty when it has none (start from the beginning). */
    Optional<Position> load(String name);

    /** Saves the position of subscription {@code name}, replacing any earlier one. */
    void save(String name, Position position);

    /** Forgets subscription {@code name}'s position, so it starts from the beginning next time (a rebuild). */
    void delete(String name);

    /** A new, empty in-memory checkpoint store. */
    static CheckpointStore inMemory() {
        return new InMemoryCheckpointStore();
    }
}

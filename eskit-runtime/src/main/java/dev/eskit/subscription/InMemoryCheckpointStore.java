package dev.eskit.subscription;

import dev.eskit.Names;
import dev.eskit.Position;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Checkpoints in a map, for tests and for the in-memory store. */
final class InMemoryCheckpointStore implements CheckpointStore {
    private final ConcurrentMap<String, Position> positions = new ConcurrentHashMap<>();

    @Override
    public Optional<Position> load(String name) {
        return Optional.ofNullable(positions.get(Names.check("Subscription name", name)));
    }

    @Override
    public void save(String name, Position position) {
        positions.put(Names.check("Subscription name", name), Objects.requireNonNull(position, "position"));
    }

    @Override
    public void delete(String name) {
        positions.remove(Names.check("Subscription name", name));
    }
}

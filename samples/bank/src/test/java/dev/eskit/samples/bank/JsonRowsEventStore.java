package dev.eskit.samples.bank;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test store that keeps each event the way a database does, as a row of wire name, schema version and JSON, and
 * decodes the row through {@link JsonEventCodec} on every read (stream load and global log), as the SQL stores do.
 * Versions, positions and metadata come from an in-memory store underneath. {@link #appendStoredRow} inserts a row
 * that older code wrote, such as version 1 JSON of an event that is now at version 2.
 */
final class JsonRowsEventStore implements EventStore {

    private final EventStore index;
    private final JsonEventCodec codec;
    private final Map<UUID, EncodedEvent> rows = new ConcurrentHashMap<>();

    JsonRowsEventStore(EventTypes types) {
        this.index = EventStore.inMemory(types);
        this.codec = JsonEventCodec.create(types);
    }

    /** Appends a row as older code stored it: {@code json} of schema version {@code schemaVersion}. */
    void appendStoredRow(StreamRef stream, String type, int schemaVersion, String json) {
        byte[] data = json.getBytes(StandardCharsets.UTF_8);
        Object event = codec.decode(type, schemaVersion, data);
        AppendResult result = index.append(stream, ExpectedVersion.any(), List.of(event));
        rows.put(result.events().get(0).id(), new EncodedEvent(type, schemaVersion, data));
    }

    @Override
    public AppendResult append(AppendRequest request) {
        List<EncodedEvent> encoded = request.events().stream().map(codec::encode).toList();
        AppendResult result = index.append(request);
        if (!result.duplicate()) {
            for (int i = 0; i < encoded.size(); i++) {
                rows.put(result.events().get(i).id(), encoded.get(i));
            }
        }
        return new AppendResult(decoded(result.events()), result.duplicate());
    }

    @Override
    public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
        return index.findIdempotentAppend(idempotencyKey)
                .map(r -> new AppendResult(decoded(r.events()), r.duplicate()));
    }

    @Override
    public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
        return decoded(index.load(stream, fromVersion));
    }

    @Override
    public long streamVersion(StreamRef stream) {
        return index.streamVersion(stream);
    }

    @Override
    public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
        return decoded(index.readAll(after, limit, eventTypes));
    }

    private List<StoredEvent<Object>> decoded(List<StoredEvent<Object>> events) {
        List<StoredEvent<Object>> decoded = new ArrayList<>(events.size());
        for (StoredEvent<Object> event : events) {
            EncodedEvent row = rows.get(event.id());
            Object data = codec.decode(row.type(), row.schemaVersion(), row.data());
            decoded.add(new StoredEvent<>(event.id(), event.stream(), event.version(), row.type(),
                    row.schemaVersion(), event.position(), event.timestamp(), event.metadata(), data));
        }
        return decoded;
    }
}

package dev.eskit.testkit;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The conformance suite on an in-memory store that stores what {@link JsonEventCodec} makes of each event and its
 * metadata (encode, then decode), the way a serializing store does. It proves that every event and metadata value
 * the suite appends survives JSON, so a SQL store that fails the suite has a bug of its own.
 */
class JsonRoundTripEventStoreConformanceTest extends EventStoreConformance {

    @Override
    protected EventStore createStore(EventTypes types) {
        return new JsonRoundTripStore(EventStore.inMemory(types), JsonEventCodec.create(types));
    }

    private static final class JsonRoundTripStore implements EventStore {
        private final EventStore delegate;
        private final JsonEventCodec codec;

        JsonRoundTripStore(EventStore delegate, JsonEventCodec codec) {
            this.delegate = delegate;
            this.codec = codec;
        }

        @Override
        public AppendResult append(AppendRequest request) {
            List<Object> copies = new ArrayList<>(request.events().size());
            for (Object event : request.events()) {
                EncodedEvent encoded = codec.encode(event);
                copies.add(codec.decode(encoded.type(), encoded.schemaVersion(), encoded.data()));
            }
            return delegate.append(new AppendRequest(request.stream(), request.expected(), copies,
                    codec.decodeMetadata(codec.encodeMetadata(request.metadata())), request.idempotencyKey()));
        }

        @Override
        public Optional<AppendResult> findIdempotentAppend(String idempotencyKey) {
            return delegate.findIdempotentAppend(idempotencyKey);
        }

        @Override
        public List<StoredEvent<Object>> load(StreamRef stream, long fromVersion) {
            return delegate.load(stream, fromVersion);
        }

        @Override
        public long streamVersion(StreamRef stream) {
            return delegate.streamVersion(stream);
        }

        @Override
        public List<StoredEvent<Object>> readAll(Position after, int limit, Set<String> eventTypes) {
            return delegate.readAll(after, limit, eventTypes);
        }
    }
}

package dev.eskit.jdbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ExpectedVersion;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.TestEvents.Marked;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The append at a known last event ({@link JdbiEventStore#appendAtHead}) on each database: it writes only to an open
 * stream at the expected version whose event there has the given id, and otherwise nothing, also for a stream deleted
 * and started again up to the same version.
 */
abstract class HeadAppendContract {

    abstract Databases db();

    static AppendRequest request(StreamRef stream, long version, Object... events) {
        return new AppendRequest(stream, ExpectedVersion.exactly(version), List.of(events), Metadata.empty(), null);
    }

    static Marked marked(String nonce) {
        return new Marked("head", 0, 0, 1, nonce);
    }

    @Test
    void appendsOnlyWhenTheStreamIsOpenAtTheVersionWithThatLastEvent() {
        JdbiEventStore store = db().newStore();
        StreamRef stream = StreamRef.of("head", "s-1");
        assertTrue(store.appendsAtHead());
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("a"), marked("b")));
        UUID head = store.load(stream).get(1).id();

        assertFalse(store.appendAtHead(request(stream, 2, marked("x")), UUID.randomUUID()).isPresent(),
                "another last event");
        assertFalse(store.appendAtHead(request(stream, 1, marked("x")), head).isPresent(), "another version");
        assertFalse(store.appendAtHead(request(StreamRef.of("head", "none"), 2, marked("x")), head).isPresent(),
                "no such stream");
        assertFalse(store.appendAtHead(new AppendRequest(stream, ExpectedVersion.exactly(2), List.of(marked("x")),
                Metadata.empty(), "key-1"), head).isPresent(), "an idempotency key: not this way");
        store.archive(stream);
        assertFalse(store.appendAtHead(request(stream, 2, marked("x")), head).isPresent(), "archived");
        store.restore(stream);
        assertEquals(2, store.streamVersion(stream), "the refusals wrote nothing");
        assertEquals(2, store.load(stream).size());

        AppendResult one = store.appendAtHead(request(stream, 2, marked("c")), head).orElseThrow();
        AppendResult two = store.appendAtHead(request(stream, 3, marked("d")), one.events().get(0).id())
                .orElseThrow();
        assertFalse(store.appendAtHead(request(stream, 3, marked("y")), one.events().get(0).id()).isPresent(),
                "the head moved on");
        List<StoredEvent<Object>> events = store.load(stream);
        assertEquals(4, events.size());
        assertEquals(4, store.streamVersion(stream));
        assertEquals(one.events().get(0).id(), events.get(2).id());
        assertEquals(one.events().get(0).position(), events.get(2).position());
        assertEquals(two.events().get(0).position(), events.get(3).position());
        assertEquals(marked("d"), events.get(3).data());
        assertTrue(events.get(3).position().isAfter(events.get(2).position()));
        // A command handler's events after the refusals: the stream as a fresh fold reads it.
        assertEquals(List.of(marked("a"), marked("b"), marked("c"), marked("d")),
                events.stream().map(StoredEvent::data).toList());
    }

    @Test
    void aStreamDeletedAndStartedAgainToTheSameVersionIsRefused() {
        JdbiEventStore store = db().newStore();
        StreamRef stream = StreamRef.of("head", "again");
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("a"), marked("b")));
        UUID head = store.load(stream).get(1).id();
        store.delete(stream);
        store.append(stream, ExpectedVersion.noStream(), List.of(marked("c"), marked("d")));
        assertFalse(store.appendAtHead(request(stream, 2, marked("x")), head).isPresent());
        assertEquals(List.of(marked("c"), marked("d")), store.load(stream).stream().map(StoredEvent::data).toList());
    }

}

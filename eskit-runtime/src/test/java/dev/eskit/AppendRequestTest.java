package dev.eskit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppendRequestTest {

    private static final StreamRef STREAM = StreamRef.of("account", "a-1");

    record Noted(int n) {
    }

    @Test
    void emptyAndNullEventListsAreRejected() {
        assertThrows(EmptyAppendException.class, () -> AppendRequest.of(STREAM, ExpectedVersion.any(), List.of()));
        assertThrows(EmptyAppendException.class, () -> AppendRequest.of(STREAM, ExpectedVersion.any(), null));
    }

    @Test
    void tenThousandEventsAreAllowedAndOneMoreIsNot() {
        List<Noted> max = Collections.nCopies(Limits.MAX_EVENTS_PER_APPEND, new Noted(1));
        assertEquals(10_000, AppendRequest.of(STREAM, ExpectedVersion.any(), max).events().size());
        List<Noted> over = Collections.nCopies(Limits.MAX_EVENTS_PER_APPEND + 1, new Noted(1));
        BatchTooLargeException error = assertThrows(BatchTooLargeException.class,
                () -> AppendRequest.of(STREAM, ExpectedVersion.any(), over));
        assertTrue(error.getMessage().contains("10001"), error.getMessage());
    }

    @Test
    void aNullEventIsRejectedWithItsIndex() {
        List<Object> events = new ArrayList<>();
        events.add(new Noted(1));
        events.add(null);
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> AppendRequest.of(STREAM, ExpectedVersion.any(), events));
        assertTrue(error.getMessage().contains("Event 1"), error.getMessage());
    }

    @Test
    void theEventListIsCopied() {
        List<Object> events = new ArrayList<>(List.of(new Noted(1)));
        AppendRequest request = AppendRequest.of(STREAM, ExpectedVersion.any(), events);
        events.add(new Noted(2));
        assertEquals(List.of(new Noted(1)), request.events());
    }

    @Test
    void missingMetadataBecomesEmptyAndNoKeyIsNull() {
        AppendRequest request = new AppendRequest(STREAM, ExpectedVersion.any(), List.of(new Noted(1)), null, null);
        assertSame(Metadata.empty(), request.metadata());
        assertNull(request.idempotencyKey());
    }

    @Test
    void invalidIdempotencyKeysAreRejected() {
        AppendRequest request = AppendRequest.of(STREAM, ExpectedVersion.any(), List.of(new Noted(1)));
        assertThrows(InvalidIdempotencyKeyException.class, () -> request.withIdempotencyKey(""));
        assertThrows(InvalidIdempotencyKeyException.class, () -> request.withIdempotencyKey("k".repeat(257)));
        assertThrows(InvalidIdempotencyKeyException.class, () -> request.withIdempotencyKey("a\0b"));
        assertEquals(256, request.withIdempotencyKey("k".repeat(256)).idempotencyKey().length());
    }

    @Test
    void withersKeepTheOtherFields() {
        Metadata metadata = Metadata.correlatedBy("c");
        AppendRequest request = AppendRequest.of(STREAM, ExpectedVersion.exactly(3), List.of(new Noted(1)))
                .withIdempotencyKey("k").withMetadata(metadata);
        assertEquals(new AppendRequest(STREAM, ExpectedVersion.exactly(3), List.of(new Noted(1)), metadata, "k"),
                request);
        assertNull(request.withIdempotencyKey(null).idempotencyKey());
    }

    @Test
    void streamAndExpectedVersionAreRequired() {
        assertThrows(NullPointerException.class,
                () -> AppendRequest.of(null, ExpectedVersion.any(), List.of(new Noted(1))));
        assertThrows(NullPointerException.class, () -> AppendRequest.of(STREAM, null, List.of(new Noted(1))));
    }

    @Test
    void expectedVersionsMatchAsDocumented() {
        assertSame(ExpectedVersion.noStream(), ExpectedVersion.exactly(0));
        assertTrue(ExpectedVersion.noStream().matches(0));
        assertTrue(!ExpectedVersion.noStream().matches(1));
        assertTrue(ExpectedVersion.exactly(4).matches(4));
        assertTrue(!ExpectedVersion.exactly(4).matches(5));
        assertTrue(ExpectedVersion.any().matches(0) && ExpectedVersion.any().matches(99));
        assertThrows(InvalidInputException.class, () -> ExpectedVersion.exactly(-1));
    }
}

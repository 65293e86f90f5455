package dev.eskit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.codec.EventTypes;
import dev.eskit.dcb.Tag;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.subscription.CheckpointStore;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.TenantId;
import dev.eskit.todo.TodoStore;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Identifiers with unpaired surrogates: the JDBC drivers store each as {@code '?'}, so {@code ls\uD800},
 * {@code ls\uDBFF} and {@code ls?} would be one stream. Every identifier is refused before anything is written.
 */
class IdentifierUnicodeTest {

    record Noted(String text) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls\uD800", "ls\uDBFF", "\uDC00ls", "l\uDC00s", "ls\uD800\uD800", "\uDFFF"})
    void unpairedSurrogatesAreRefusedInEveryIdentifier(String bad) {
        EventStore store = EventStore.inMemory(EventTypes.builder().add("t.Noted", Noted.class).build());
        InvalidStreamException stream = assertThrows(InvalidStreamException.class, () -> StreamRef.of("ls", bad));
        assertTrue(stream.getMessage().contains("unpaired surrogate"), stream.getMessage());
        assertTrue(stream.getMessage().contains("\\u"), "shown escaped: " + stream.getMessage());
        assertThrows(InvalidStreamException.class, () -> StreamRef.of(bad, "x"));
        assertThrows(InvalidIdempotencyKeyException.class, () -> AppendRequest.of(StreamRef.of("ls", "x"),
                ExpectedVersion.any(), List.of(new Noted("n"))).withIdempotencyKey("kk" + bad));
        assertThrows(InvalidIdempotencyKeyException.class, () -> store.findIdempotentAppend(bad));
        assertThrows(InvalidInputException.class, () -> CheckpointStore.inMemory().save(bad, Position.START));
        assertThrows(InvalidInputException.class, () -> TodoStore.inMemory().add(bad, "i", "{}"));
        assertThrows(InvalidInputException.class, () -> TodoStore.inMemory().add("l", bad, "{}"));
        assertThrows(InvalidInputException.class, () -> Tag.of(bad));
        SubjectKeys keys = SubjectKeys.create(SubjectKeyStore.inMemory(), MasterKey.generate("m"));
        assertThrows(InvalidInputException.class, () -> keys.forget("lone" + bad));
        assertThrows(InvalidInputException.class, () -> keys.rotate(bad));
        assertThrows(InvalidTenantException.class, () -> TenantId.of("acme" + bad));
        assertEquals(0, store.readAll(Position.START, 10).size(), "nothing written");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls", "l\uD83D\uDE00s", "\u00E9t\u00E9", "ls?"})
    void validUnicodeIsAccepted(String good) {
        assertEquals(good, StreamRef.of("ls", good).id());
        assertEquals(-1, Limits.unpairedSurrogate(good));
    }
}

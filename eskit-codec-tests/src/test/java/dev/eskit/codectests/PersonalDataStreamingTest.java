package dev.eskit.codectests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EncodedEvent;
import dev.eskit.codec.EventCodec;
import dev.eskit.codec.EventContext;
import dev.eskit.codec.EventTypes;
import dev.eskit.gdpr.FieldCipher;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.PersonalDataTamperedException;
import dev.eskit.gdpr.SubjectKeyStore;
import dev.eskit.gdpr.SubjectKeys;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code @PersonalData} through the generated codecs without databind ({@code PersonalDataProtector.streamingCodec})
 * and with it ({@code PersonalDataProtector.codec}): the same envelopes, so each reads what the other wrote.
 */
class PersonalDataStreamingTest {

    private static final EventTypes TYPES = EventTypes.of(new CodectestsEventTypes());

    private final SubjectKeys keys = SubjectKeys.create(SubjectKeyStore.inMemory(), MasterKey.generate("m1"));
    private final PersonalDataProtector protector = PersonalDataProtector.create(keys, new CodectestsPersonalData());
    private final EventCodec databind = protector.codec(TYPES);
    private final EventCodec streaming = protector.streamingCodec(TYPES);
    private final Registered ann = new Registered("c-1", "ann@example.com", LocalDate.of(1985, 3, 4), 41);

    private static EventContext at(UUID id) {
        return new EventContext(id, StreamRef.of("customer", "c-1"), 1, Position.of(1));
    }

    @Test
    void eachCodecReadsWhatTheOtherWroteWithAndWithoutEventBinding() {
        UUID id = UUID.randomUUID();
        for (EventCodec writer : new EventCodec[] {databind, streaming}) {
            for (EventCodec reader : new EventCodec[] {databind, streaming}) {
                EncodedEvent bound = writer.encode(ann, at(id));
                String stored = new String(bound.data(), StandardCharsets.UTF_8);
                assertFalse(stored.contains("ann@example.com") || stored.contains("1985"), stored);
                assertTrue(stored.contains("\"eskit:pd\":2") && stored.contains("\"e\":1"), stored);
                assertEquals(ann, reader.decode("codec.Registered", bound.schemaVersion(), bound.data(), at(id)));
                EncodedEvent unbound = writer.encode(ann);
                assertEquals(ann, reader.decode("codec.Registered", 1, unbound.data()));
                // Moved to another event: the associated data no longer matches.
                assertThrows(PersonalDataTamperedException.class, () -> reader.decode("codec.Registered", 1,
                        bound.data(), at(UUID.randomUUID())));
            }
        }
    }

    @Test
    void theStreamingCodecWritesTheSameShapeAsDatabindAndForgettingErasesForBoth() {
        EncodedEvent viaStreaming = streaming.encode(ann);
        EncodedEvent viaDatabind = databind.encode(ann);
        String a = new String(viaStreaming.data(), StandardCharsets.UTF_8).replaceAll("\"d\":\"[^\"]*\"", "\"d\":_");
        String b = new String(viaDatabind.data(), StandardCharsets.UTF_8).replaceAll("\"d\":\"[^\"]*\"", "\"d\":_");
        assertEquals(b, a);
        assertEquals(1, protector.forget("c-1"));
        Registered erased = new Registered("c-1", FieldCipher.ERASED, null, 41);
        assertEquals(erased, streaming.decode("codec.Registered", 1, viaDatabind.data()));
        assertEquals(erased, databind.decode("codec.Registered", 1, viaStreaming.data()));
    }

    @Test
    void cborDataIsEncryptedTooAndOtherTypesAreUntouched() {
        EventCodec cbor = streaming.forFormat("cbor");
        EncodedEvent encoded = cbor.encode(ann);
        assertEquals("cbor", encoded.format());
        assertFalse(new String(encoded.data(), StandardCharsets.ISO_8859_1).contains("ann@example.com"));
        assertEquals(ann, cbor.decode("codec.Registered", 1, encoded.data()));
        Counter.Added plain = new Counter.Added("x", 3);
        assertEquals(plain, streaming.decode("codec.Added", 1,
                streaming.encode(plain).data()));
    }

    @Test
    void personalMetadataIsSealedByBothCodecsWithOneEnvelope() {
        PersonalDataProtector marking = protector.personalMetadata("ip");
        EventCodec streamingMarked = marking.streamingCodec(TYPES);
        EventCodec databindMarked = marking.codec(TYPES);
        dev.eskit.Metadata metadata = dev.eskit.Metadata.empty().withInitiator("c-1").with("ip", "192.0.2.7")
                .with("plain", "kept");
        for (EventCodec writer : new EventCodec[] {streamingMarked, databindMarked}) {
            byte[] stored = writer.encodeMetadata(metadata);
            String text = new String(stored, StandardCharsets.UTF_8);
            assertFalse(text.contains("192.0.2.7"), text);
            assertTrue(text.contains("\"ip\":\"eskit:pd:") && text.contains("\"plain\":\"kept\""), text);
            for (EventCodec reader : new EventCodec[] {streamingMarked, databindMarked}) {
                assertEquals(metadata, reader.decodeMetadata(stored));
            }
            // A codec without the protector leaves it sealed.
            assertEquals(text.substring(text.indexOf("eskit:pd:"), text.indexOf('"', text.indexOf("eskit:pd:"))),
                    dev.eskit.codec.StreamingEventCodec.json(TYPES).decodeMetadata(stored).extras().get("ip"));
        }
        byte[] before = streamingMarked.encodeMetadata(metadata);
        assertEquals(1, protector.forget("c-1"));
        assertEquals(FieldCipher.ERASED, streamingMarked.decodeMetadata(before).extras().get("ip"));
        assertEquals(FieldCipher.ERASED, databindMarked.decodeMetadata(before).extras().get("ip"));
        assertEquals("kept", streamingMarked.decodeMetadata(before).extras().get("plain"));
    }
}

package dev.eskit.gdpr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.eskit.codec.EventContext;
import dev.eskit.codec.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@link FieldCipher} on eskit's {@link JsonObject} instead of databind's tree, for
 * {@code StreamingEventCodec}: the same envelope, key ids and associated data, so a field encrypted by either reads
 * with the other. Generated {@link PersonalDataRegistry} code calls it; one instance serves one event.
 */
public final class JsonObjectCipher {

    /** What a forgotten subject's text fields read back as. */
    public static final String ERASED_TEXT = FieldCipher.ERASED;
    /** The placeholder of every other field (JSON null). */
    public static final Object ERASED_NULL = null;

    private static final JsonFactory JSON = new JsonFactory();

    private final FieldSeal seal;
    /** How many fields read back as placeholders because their subject was forgotten. */
    private int erased;

    JsonObjectCipher(SubjectKeys keys, String eventType, EventContext where) {
        this(keys, eventType, where, null);
    }

    private JsonObjectCipher(FieldSeal seal) {
        this.seal = seal;
    }

    /**
     * A cipher for a command payload of {@code commandType}: subjects kept under {@code keyPrefix} when not null,
     * ciphertext bound to {@code commandId} when not null (moving it to another command fails as tampering).
     */
    static JsonObjectCipher forCommand(SubjectKeys keys, String commandType, String keyPrefix, String commandId) {
        return new JsonObjectCipher(new FieldSeal(keys, commandType, keyPrefix, commandId));
    }

    /** How many fields {@link #decrypt} replaced with a placeholder (their subject was forgotten). */
    int erased() {
        return erased;
    }

    /** A cipher that encrypts nothing and only records the key ids of the subjects {@link #encrypt} is asked for. */
    JsonObjectCipher(SubjectKeys keys, String eventType, EventContext where, java.util.Set<String> recorded) {
        this.seal = new FieldSeal(keys, eventType, where, null, recorded);
    }

    /**
     * The data subject id in {@code field} of {@code data}: its text, or the text of a number.
     *
     * @throws DataSubjectMissingException when the field is missing, null, empty or not a single value
     */
    public static String subject(JsonObject data, String field, String eventType) {
        Object value = data.get(field);
        boolean scalar = value instanceof String || value instanceof Number || value instanceof Boolean;
        if (!scalar || value.toString().isEmpty()) {
            throw new DataSubjectMissingException("Event \"" + eventType + "\" has personal data but its data subject"
                    + " \"" + field + "\" is " + (value == null ? "null" : "empty or not a single value")
                    + ", so there is no key to encrypt it with. Set \"" + field + "\" to the id of the person the"
                    + " data belongs to.");
        }
        return value.toString();
    }

    /** Replaces {@code field} of {@code data} with its encryption under {@code subjectId}'s key; null stays null. */
    public void encrypt(JsonObject data, String field, String subjectId) {
        if (seal.recording()) {
            seal.record(subjectId);
            return;
        }
        Object value = data.get(field);
        if (value == null) {
            return;
        }
        FieldSeal.Sealed sealed = seal.seal(field, subjectId, json(value));
        data.put(field, new JsonObject().put(FieldCipher.MARKER, 2).put("s", sealed.keyId())
                .put("v", sealed.version()).put("k", sealed.fingerprint()).put("e", sealed.bound())
                .put("d", sealed.data()));
    }

    /**
     * Replaces an encrypted {@code field} of {@code data} with its plaintext, or with {@code placeholder} when its
     * subject was forgotten. A field that is not encrypted stays as it is.
     *
     * @throws PersonalDataTamperedException when the ciphertext fails its integrity check or is malformed
     */
    public void decrypt(JsonObject data, String field, Object placeholder) {
        if (!(data.get(field) instanceof JsonObject value) || !value.has(FieldCipher.MARKER)) {
            return;
        }
        Object format = value.get(FieldCipher.MARKER);
        Object subject = value.get("s");
        Object version = value.get("v");
        Object sealedText = value.get("d");
        if (!(format instanceof Number f) || (f.intValue() != 1 && f.intValue() != 2)
                || !(subject instanceof String subjectId) || !(version instanceof Number v)
                || !(sealedText instanceof String text)) {
            throw seal.tampered(field, "its envelope is malformed", null);
        }
        byte[] plain = seal.open(field, f.intValue(), subjectId, v.intValue(),
                value.get("k") instanceof String fingerprint ? fingerprint : null,
                value.get("e") instanceof Number e && e.intValue() == 1, text);
        if (plain == null) {
            data.put(field, placeholder);
            erased++;
            return;
        }
        try (JsonParser in = JSON.createParser(plain)) {
            in.nextToken();
            data.put(field, JsonObject.readValue(in));
        } catch (IOException e) {
            throw seal.tampered(field, "it decrypts to something that is not JSON", e);
        }
    }

    /** The field's JSON, as {@link FieldCipher} encrypts it ({@code JsonNode.toString()}). */
    private static byte[] json(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            JsonObject.writeValue(out, value);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}

package dev.eskit.gdpr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.eskit.EventEncodingException;
import dev.eskit.codec.JsonObject;
import dev.eskit.command.CommandDecodingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Encryption of the personal fields of stored command payloads (command log, command queue), on eskit's
 * {@link JsonObject}: no jackson-databind. The envelope is the events' ({@link FieldCipher}); since format 2 with
 * {@code "e":1} a command's ciphertext is bound to its command id, so moving it to another command fails as
 * tampering. Envelopes without {@code "e"} (stored before command binding) are still read, bound to subject, key
 * version, command type and field only. Registries without the {@code JsonObject} methods (written by hand or by an
 * older processor) go through {@link DatabindCommands}.
 */
final class PersonalCommands {

    private static final JsonFactory JSON = new JsonFactory();

    private PersonalCommands() {
    }

    static String protect(PersonalDataProtector protector, PersonalDataRegistry registry, String type,
                          String commandId, byte[] json, String keyPrefix) {
        if (registry == null) {
            return new String(json, StandardCharsets.UTF_8);
        }
        JsonObject tree;
        try {
            tree = read(json);
        } catch (IOException e) {
            throw new EventEncodingException("Command " + type + " cannot be encrypted for storage: " + e.getMessage()
                    + ". Its codec must write a JSON object.", e);
        }
        try {
            registry.encrypt(type, tree, JsonObjectCipher.forCommand(protector.keys(), type, keyPrefix, commandId));
        } catch (UnsupportedOperationException noJsonObjectMethods) {
            // A registry written by hand or by an older processor (ObjectNode methods only): needs databind.
            return DatabindCommands.protect(FieldCipher.forCommand(protector.keys(), type, keyPrefix, commandId),
                    registry, type, json);
        }
        return new String(tree.toBytes(JSON), StandardCharsets.UTF_8);
    }

    static String readable(SubjectKeys keys, PersonalDataRegistry registry, String type, String commandId,
                           String stored, boolean refuseErased) {
        if (registry == null || stored == null) {
            return stored;
        }
        JsonObject tree;
        try {
            tree = read(stored.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CommandDecodingException("The stored payload of a " + type + " command is not a JSON object: "
                    + e.getMessage() + ". The row was changed by hand.", e);
        }
        JsonObjectCipher cipher = JsonObjectCipher.forCommand(keys, type, null, commandId);
        String readable;
        int erased;
        try {
            registry.decrypt(type, tree, cipher);
            readable = new String(tree.toBytes(JSON), StandardCharsets.UTF_8);
            erased = cipher.erased();
        } catch (UnsupportedOperationException noJsonObjectMethods) {
            FieldCipher databind = FieldCipher.forCommand(keys, type, null, commandId);
            readable = DatabindCommands.readable(databind, registry, type, stored);
            erased = databind.erased();
        }
        if (refuseErased && erased > 0) {
            throw new CommandDecodingException("A stored " + type + " command cannot run: the data subject of "
                    + erased + " of its personal fields was forgotten after it was stored, so it would run on"
                    + " placeholders. It is not run; send a new command if it is still wanted.", null);
        }
        return readable;
    }

    /** The one JSON object in {@code json}. */
    private static JsonObject read(byte[] json) throws IOException {
        try (JsonParser in = JSON.createParser(json)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("it starts with " + in.currentToken() + ", not an object");
            }
            JsonObject tree = JsonObject.read(in);
            if (in.nextToken() != null) {
                throw new IOException("it has content after the object");
            }
            return tree;
        }
    }
}

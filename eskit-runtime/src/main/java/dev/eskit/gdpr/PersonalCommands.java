package dev.eskit.gdpr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventEncodingException;
import dev.eskit.command.CommandDecodingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Encryption of the personal fields of stored command payloads (command log, command queue). */
final class PersonalCommands {

    private static final ObjectMapper TREES = new ObjectMapper();

    private PersonalCommands() {
    }

    static String protect(PersonalDataProtector protector, PersonalDataRegistry registry, String type, byte[] json,
                          String keyPrefix) {
        if (registry == null) {
            return new String(json, StandardCharsets.UTF_8);
        }
        try {
            ObjectNode tree = (ObjectNode) TREES.readTree(json);
            registry.encrypt(type, tree, FieldCipher.forCommand(protector.keys(), type, keyPrefix));
            return TREES.writeValueAsString(tree);
        } catch (IOException | ClassCastException e) {
            throw new EventEncodingException("Command " + type + " cannot be encrypted for storage: " + e.getMessage()
                    + ". Its codec must write a JSON object.", e);
        }
    }

    static String readable(SubjectKeys keys, PersonalDataRegistry registry, String type, String stored,
                           boolean refuseErased) {
        if (registry == null || stored == null) {
            return stored;
        }
        ObjectNode tree;
        try {
            tree = (ObjectNode) TREES.readTree(stored);
        } catch (IOException | ClassCastException e) {
            throw new CommandDecodingException("The stored payload of a " + type + " command is not a JSON object: "
                    + e.getMessage() + ". The row was changed by hand.", e);
        }
        FieldCipher cipher = FieldCipher.forCommand(keys, type, null);
        registry.decrypt(type, tree, cipher);
        if (refuseErased && cipher.erased() > 0) {
            throw new CommandDecodingException("A stored " + type + " command cannot run: the data subject of "
                    + cipher.erased() + " of its personal fields was forgotten after it was stored, so it would run on"
                    + " placeholders. It is not run; send a new command if it is still wanted.", null);
        }
        try {
            return TREES.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException("A JSON tree is always written", e);
        }
    }
}

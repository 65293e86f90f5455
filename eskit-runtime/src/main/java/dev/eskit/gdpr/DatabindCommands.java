package dev.eskit.gdpr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EventEncodingException;
import dev.eskit.command.CommandDecodingException;
import java.io.IOException;

/**
 * {@link PersonalCommands} for registries that only have the databind ({@code ObjectNode}) methods: written by hand
 * or by an older processor. Same envelope and associated data; needs jackson-databind, and is only loaded for them.
 */
final class DatabindCommands {

    private static final ObjectMapper TREES = new ObjectMapper();

    private DatabindCommands() {
    }

    static String protect(FieldCipher cipher, PersonalDataRegistry registry, String type, byte[] json) {
        try {
            ObjectNode tree = (ObjectNode) TREES.readTree(json);
            registry.encrypt(type, tree, cipher);
            return TREES.writeValueAsString(tree);
        } catch (IOException | ClassCastException e) {
            throw new EventEncodingException("Command " + type + " cannot be encrypted for storage: " + e.getMessage()
                    + ". Its codec must write a JSON object.", e);
        }
    }

    /** The decrypted payload; {@code cipher} counts the placeholders. */
    static String readable(FieldCipher cipher, PersonalDataRegistry registry, String type, String stored) {
        ObjectNode tree;
        try {
            tree = (ObjectNode) TREES.readTree(stored);
        } catch (IOException | ClassCastException e) {
            throw new CommandDecodingException("The stored payload of a " + type + " command is not a JSON object: "
                    + e.getMessage() + ". The row was changed by hand.", e);
        }
        registry.decrypt(type, tree, cipher);
        try {
            return TREES.writeValueAsString(tree);
        } catch (IOException e) {
            throw new IllegalStateException("A JSON tree is always written", e);
        }
    }
}

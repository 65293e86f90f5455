package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.eskit.EventEncodingException;
import dev.eskit.InvalidInputException;
import dev.eskit.Limits;
import java.io.IOException;

/**
 * The checks that keep a store from holding what it cannot read back: wire names every database can store and
 * every tool can print, and encoded JSON within the limits Jackson enforces when it reads (string, number and name
 * lengths, nesting depth). Codecs call {@link #checkReadable} on what they encoded, before anything is written;
 * generated codecs can call it too.
 */
public final class CodecLimits {

    /** Longest wire name, in characters. */
    public static final int MAX_WIRE_NAME_LENGTH = 256;

    /**
     * The last name {@link #checkWireName} accepted. Read and written without synchronisation on purpose: strings are
     * immutable, so a thread sees either some accepted name or another one, and only an identical instance skips the
     * check.
     */
    private static String lastChecked;

    private CodecLimits() {
    }

    /**
     * Checks a wire name: 1 to {@value #MAX_WIRE_NAME_LENGTH} characters, each an ASCII letter or digit or one of
     * {@code . _ - : / $}.
     *
     * @return {@code name}
     * @throws InvalidInputException when it breaks the rule
     */
    public static String checkWireName(String name) {
        if (name == lastChecked) {
            // The same instance as the last good name (an EventType's name, encoded event after event).
            return name;
        }
        String problem = wireNameProblem(name);
        if (problem != null) {
            throw new InvalidInputException("Event type name " + Limits.abbreviate(name) + " " + problem + ". Use 1 to "
                    + MAX_WIRE_NAME_LENGTH + " ASCII letters, digits and . _ - : / $, such as \"bank.Deposited\".");
        }
        lastChecked = name;
        return name;
    }

    private static String wireNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_WIRE_NAME_LENGTH) {
            return "is " + name.length() + " characters long, more than " + MAX_WIRE_NAME_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == ':' || c == '/' || c == '$';
            if (!ok) {
                return "contains " + (c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'")
                        + " at index " + i;
            }
        }
        return null;
    }

    /**
     * Checks that {@code json}, just encoded for event type {@code type}, can be read back by {@code factory}'s
     * parser: no string, number or property name longer and no nesting deeper than its
     * {@link StreamReadConstraints} allow. Small documents cannot break any limit and are not scanned.
     *
     * @throws EventEncodingException when it could not be read back; nothing may be written then
     */
    public static void checkReadable(JsonFactory factory, byte[] json, String type) {
        StreamReadConstraints limits = factory.streamReadConstraints();
        int smallest = Math.min(Math.min(limits.getMaxNumberLength(), limits.getMaxNestingDepth()),
                Math.min(limits.getMaxStringLength(), limits.getMaxNameLength()));
        if (json.length <= smallest) {
            return;
        }
        if (limits.getMaxDocumentLength() > 0 && json.length > limits.getMaxDocumentLength()) {
            throw tooBig(type, "is " + json.length + " bytes long, more than the reader's limit of "
                    + limits.getMaxDocumentLength(), null);
        }
        int depth = 0;
        try (JsonParser parser = factory.createParser(json)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > limits.getMaxNestingDepth()) {
                            throw tooBig(type, "nests deeper than the reader's limit of "
                                    + limits.getMaxNestingDepth() + " levels", null);
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME -> {
                        if (parser.getTextLength() > limits.getMaxNameLength()) {
                            throw tooBig(type, "has a property name of " + parser.getTextLength()
                                    + " characters, more than the reader's limit of " + limits.getMaxNameLength(),
                                    null);
                        }
                    }
                    case VALUE_STRING -> {
                        if (parser.getTextLength() > limits.getMaxStringLength()) {
                            throw tooBig(type, "has a string of " + parser.getTextLength()
                                    + " characters, more than the reader's limit of " + limits.getMaxStringLength(),
                                    null);
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        int length = parser.getTextLength();
                        if (token == JsonToken.VALUE_NUMBER_INT && parser.getTextCharacters()[parser.getTextOffset()]
                                == '-') {
                            length--;
                        }
                        if (length > limits.getMaxNumberLength()) {
                            throw tooBig(type, "has a number of " + length + " digits, more than the reader's limit"
                                    + " of " + limits.getMaxNumberLength(), null);
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (IOException e) {
            // The parser's own constraint checks (StreamConstraintsException) or malformed output.
            throw tooBig(type, "cannot be read back: " + e.getMessage(), e);
        }
    }

    private static EventEncodingException tooBig(String type, String problem, Throwable cause) {
        return new EventEncodingException("Event \"" + type + "\" encoded as JSON " + problem
                + ", so it could never be read back; nothing was written. Make the value smaller (store large content"
                + " elsewhere and keep a reference in the event).", cause);
    }
}

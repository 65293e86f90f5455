package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonParser;

/** A strict-decoding failure; {@code type} is the type whose reader raised it (or null for a value). */
final class CodecException extends com.fasterxml.jackson.core.JsonParseException {
    private static final long serialVersionUID = 1L;
    final transient String type;
    transient boolean claimed;

    CodecException(JsonParser in, String type, String message) {
        super(in, message);
        this.type = type == null ? "" : type;
    }

    CodecException(JsonParser in, String type, String message, Throwable cause) {
        super(in, message, cause);
        this.type = type == null ? "" : type;
    }
}

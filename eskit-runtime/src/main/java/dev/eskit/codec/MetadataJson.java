package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import dev.eskit.Metadata;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metadata as JSON over jackson-core only: the one implementation {@link JsonEventCodec} and
 * {@link StreamingEventCodec} share, so metadata is the same JSON (readable by every tool) whatever format the event
 * data has. Strict about shapes that would desynchronise a reader (non-string fields and extras); skips unknown
 * fields, so metadata written by newer code stays readable.
 */
final class MetadataJson {

    private static final SerializableString CORRELATION = new SerializedString("correlationId");
    private static final SerializableString CAUSATION = new SerializedString("causationId");
    private static final SerializableString INITIATOR = new SerializedString("initiator");
    private static final SerializableString ORIGINATOR = new SerializedString("originator");
    private static final SerializableString EXTRAS = new SerializedString("extras");
    /** The fields in the order {@link #encode} writes them. */
    private static final SerializableString[] ORDER = {CORRELATION, CAUSATION, INITIATOR, ORIGINATOR, EXTRAS};

    /** Writes a {@link Metadata} as one JSON object, fields without a value left out. */
    private static final ValueCodec<Metadata> WRITER = new ValueCodec<>() {
        @Override
        public void write(JsonGenerator out, Metadata metadata) throws IOException {
            out.writeStartObject();
            field(out, CORRELATION, metadata.correlationId());
            field(out, CAUSATION, metadata.causationId());
            field(out, INITIATOR, metadata.initiator());
            field(out, ORIGINATOR, metadata.originator());
            if (!metadata.extras().isEmpty()) {
                out.writeFieldName(EXTRAS);
                out.writeStartObject();
                for (Map.Entry<String, String> entry : metadata.extras().entrySet()) {
                    out.writeStringField(entry.getKey(), entry.getValue());
                }
                out.writeEndObject();
            }
            out.writeEndObject();
        }

        @Override
        public Metadata read(JsonParser in) {
            throw new UnsupportedOperationException("MetadataJson.decode reads metadata");
        }
    };

    /** Reads a metadata object, the parser on its first token. */
    private static final ValueCodec<Metadata> READER = new ValueCodec<>() {
        @Override
        public void write(JsonGenerator out, Metadata value) {
            throw new UnsupportedOperationException("MetadataJson.encode writes metadata");
        }

        @Override
        public Metadata read(JsonParser in) throws IOException {
            String correlation = null;
            String causation = null;
            String initiator = null;
            String originator = null;
            Map<String, String> extras = Map.of();
            Codecs.expect(in, JsonToken.START_OBJECT, "a metadata object");
            // Fields come in the order encode writes them (each optional): matched on their encoded bytes first.
            int next = 0;
            while (true) {
                String field;
                boolean expected;
                if (next < ORDER.length) {
                    expected = in.nextFieldName(ORDER[next]);
                } else {
                    in.nextToken();
                    expected = false;
                }
                if (expected) {
                    field = ORDER[next].getValue();
                } else if (in.currentToken() == JsonToken.FIELD_NAME) {
                    field = in.currentName();
                } else {
                    break;
                }
                in.nextToken();
                switch (field) {
                    case "correlationId" -> {
                        correlation = Codecs.readString(in);
                        next = 1;
                    }
                    case "causationId" -> {
                        causation = Codecs.readString(in);
                        next = 2;
                    }
                    case "initiator" -> {
                        initiator = Codecs.readString(in);
                        next = 3;
                    }
                    case "originator" -> {
                        originator = Codecs.readString(in);
                        next = 4;
                    }
                    case "extras" -> {
                        Codecs.expect(in, JsonToken.START_OBJECT, "an object of extras");
                        extras = new LinkedHashMap<>();
                        while (in.nextToken() == JsonToken.FIELD_NAME) {
                            String key = in.currentName();
                            // Extras are string to string; anything else would desynchronise the parser.
                            in.nextToken();
                            Codecs.expect(in, JsonToken.VALUE_STRING, "a string");
                            extras.put(key, in.getText());
                        }
                        next = ORDER.length;
                    }
                    default -> in.skipChildren();
                }
            }
            Codecs.expect(in, JsonToken.END_OBJECT, "the end of the metadata object");
            return new Metadata(correlation, causation, initiator, originator, extras);
        }
    };

    private final JsonFactory json;
    private final ParserPool reads;
    private final GeneratorPool generators;

    MetadataJson(JsonFactory json) {
        this.json = Utf8JsonFactory.of(json);
        this.reads = new ParserPool(this.json);
        this.generators = new GeneratorPool(json);
    }

    /**
     * {@code metadata} as JSON.
     *
     * @throws EventEncodingException when a string holds a lone UTF-16 surrogate, which no JSON reader reads back
     */
    byte[] encode(Metadata metadata) {
        byte[] bytes;
        try {
            bytes = generators.write(WRITER, metadata);
        } catch (IOException e) {
            throw new EventEncodingException("Metadata cannot be written as JSON: " + e.getMessage(), e);
        }
        if (LoneSurrogates.in(bytes)) {
            throw new EventEncodingException("Metadata contains a string with a lone UTF-16 surrogate (half of a"
                    + " character, such as a cut emoji), which no JSON reader accepts back. Nothing was written;"
                    + " remove or repair the broken character.", null);
        }
        return bytes;
    }

    private static void field(JsonGenerator out, SerializableString name, String value) throws IOException {
        if (value != null) {
            out.writeFieldName(name);
            out.writeString(value);
        }
    }

    /**
     * The metadata in {@code data}; {@link Metadata#empty()} for null, no bytes or {@code {}} (read without a parser).
     *
     * @throws EventDecodingException when it is not a JSON object of string fields and string extras
     */
    Metadata decode(byte[] data) {
        if (data == null || data.length == 0 || (data.length == 2 && data[0] == '{' && data[1] == '}')) {
            return Metadata.empty();
        }
        try {
            if (data[0] == '{') {
                // Kept parsers (a fresh one for anything but a clean object, which then also fails on trailing data).
                return (Metadata) reads.read(data, READER, false, "metadata", 1);
            }
            try (JsonParser in = json.createParser(data)) {
                in.nextToken();
                return READER.read(in);
            }
        } catch (IOException e) {
            throw new EventDecodingException("Stored metadata is not valid JSON: " + e.getMessage(), e);
        }
    }
}

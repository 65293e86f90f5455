package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link ValueCodec}s of JDK types and the combinators the generated codecs are built from. The wire format is
 * what jackson-databind writes for the same values (with {@code jackson-datatype-jsr310} and {@code -jdk8} and dates
 * as ISO-8601 strings), so generated codecs and databind read each other's data; {@code docs/codecs.md} lists the
 * mapping. Generated code calls these; applications rarely need to.
 */
public final class Codecs {

    /** Text. */
    public static final ValueCodec<String> STRING = new Scalar<>("a string", (out, v) -> out.writeString(v),
            p -> p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null, JsonToken.VALUE_STRING);
    /** A {@code Boolean}. */
    public static final ValueCodec<Boolean> BOOLEAN = new Scalar<>("a boolean", JsonGenerator::writeBoolean,
            p -> p.getBooleanValue(), JsonToken.VALUE_TRUE, JsonToken.VALUE_FALSE);
    /** An {@code Integer}. */
    public static final ValueCodec<Integer> INTEGER = new Scalar<>("an integer", JsonGenerator::writeNumber,
            JsonParser::getIntValue, JsonToken.VALUE_NUMBER_INT);
    /** A {@code Long}. */
    public static final ValueCodec<Long> LONG = new Scalar<>("an integer", JsonGenerator::writeNumber,
            JsonParser::getLongValue, JsonToken.VALUE_NUMBER_INT);
    /** A {@code Short}. */
    public static final ValueCodec<Short> SHORT = new Scalar<>("an integer", JsonGenerator::writeNumber,
            JsonParser::getShortValue, JsonToken.VALUE_NUMBER_INT);
    /** A {@code Byte}, written as a number as databind does. */
    public static final ValueCodec<Byte> BYTE = new Scalar<>("an integer", (out, v) -> out.writeNumber(v.intValue()),
            JsonParser::getByteValue, JsonToken.VALUE_NUMBER_INT);
    /** A {@code Double}; NaN and the infinities are strings, as jackson-core writes them. */
    public static final ValueCodec<Double> DOUBLE = new Scalar<>("a number", JsonGenerator::writeNumber,
            Codecs::readDouble, JsonToken.VALUE_NUMBER_FLOAT, JsonToken.VALUE_NUMBER_INT, JsonToken.VALUE_STRING);
    /** A {@code Float}. */
    public static final ValueCodec<Float> FLOAT = new Scalar<>("a number", JsonGenerator::writeNumber,
            Codecs::readFloat, JsonToken.VALUE_NUMBER_FLOAT, JsonToken.VALUE_NUMBER_INT, JsonToken.VALUE_STRING);
    /** A {@code Character}, a one-character string. */
    public static final ValueCodec<Character> CHARACTER = new Scalar<>("a one-character string",
            (out, v) -> out.writeString(String.valueOf(v)), Codecs::readChar, JsonToken.VALUE_STRING);
    /** A {@code BigDecimal}, a JSON number. */
    public static final ValueCodec<BigDecimal> BIG_DECIMAL = new Scalar<>("a number", JsonGenerator::writeNumber,
            JsonParser::getDecimalValue, JsonToken.VALUE_NUMBER_FLOAT, JsonToken.VALUE_NUMBER_INT);
    /** A {@code BigInteger}, a JSON number. */
    public static final ValueCodec<BigInteger> BIG_INTEGER = new Scalar<>("an integer", JsonGenerator::writeNumber,
            JsonParser::getBigIntegerValue, JsonToken.VALUE_NUMBER_INT);
    /** A {@code UUID}: its canonical string, or 16 bytes in binary formats (CBOR), as databind writes it. */
    public static final ValueCodec<UUID> UUID_CODEC = new Scalar<>("a UUID", Codecs::writeUuid, Codecs::readUuid,
            JsonToken.VALUE_STRING, JsonToken.VALUE_EMBEDDED_OBJECT);
    /** An {@code Instant}, ISO-8601 ({@code 2026-01-31T10:15:30Z}). */
    public static final ValueCodec<Instant> INSTANT = text("an ISO-8601 instant",
            DateTimeFormatter.ISO_INSTANT::format, Instant::parse);
    /** A {@code LocalDate}, ISO-8601 ({@code 2026-01-31}). */
    public static final ValueCodec<LocalDate> LOCAL_DATE = text("an ISO-8601 date",
            DateTimeFormatter.ISO_LOCAL_DATE::format, LocalDate::parse);
    /** A {@code LocalTime}, ISO-8601 ({@code 10:15:30}). */
    public static final ValueCodec<LocalTime> LOCAL_TIME = text("an ISO-8601 time",
            DateTimeFormatter.ISO_LOCAL_TIME::format, LocalTime::parse);
    /** A {@code LocalDateTime}, ISO-8601 ({@code 2026-01-31T10:15:30}). */
    public static final ValueCodec<LocalDateTime> LOCAL_DATE_TIME = text("an ISO-8601 date-time",
            DateTimeFormatter.ISO_LOCAL_DATE_TIME::format, LocalDateTime::parse);
    /** An {@code OffsetDateTime}, ISO-8601 with its offset ({@code 2026-01-31T10:15:30+01:00}), kept on read. */
    public static final ValueCodec<OffsetDateTime> OFFSET_DATE_TIME = text("an ISO-8601 date-time with offset",
            DateTimeFormatter.ISO_OFFSET_DATE_TIME::format, OffsetDateTime::parse);
    /**
     * A {@code ZonedDateTime}, ISO-8601 with offset and zone ({@code 2026-01-31T10:15:30+01:00[Europe/Paris]}); reads
     * databind's offset-only form too.
     */
    public static final ValueCodec<ZonedDateTime> ZONED_DATE_TIME = text("an ISO-8601 date-time with zone",
            DateTimeFormatter.ISO_ZONED_DATE_TIME::format, ZonedDateTime::parse);
    /** A {@code Duration}, ISO-8601 ({@code PT1H30M}); reads databind's decimal seconds too. */
    public static final ValueCodec<Duration> DURATION = new Scalar<>("an ISO-8601 duration",
            (out, v) -> out.writeString(v.toString()), Codecs::readDuration, JsonToken.VALUE_STRING,
            JsonToken.VALUE_NUMBER_INT, JsonToken.VALUE_NUMBER_FLOAT);
    /** A {@code Period}, ISO-8601 ({@code P1Y2M3D}). */
    public static final ValueCodec<Period> PERIOD = text("an ISO-8601 period", Period::toString, Period::parse);
    /** A {@code byte[]}: base64 in JSON (as databind writes it), a byte string in binary formats. */
    public static final ValueCodec<byte[]> BYTES = new Scalar<>("base64 binary", JsonGenerator::writeBinary,
            JsonParser::getBinaryValue, JsonToken.VALUE_STRING, JsonToken.VALUE_EMBEDDED_OBJECT);

    private Codecs() {
    }

    /** A list: a JSON array; read into an {@link ArrayList}. */
    public static <T> ValueCodec<List<T>> list(ValueCodec<T> element) {
        return new ArrayCodec<List<T>, T>(element) {
            @Override
            List<T> empty() {
                return new ArrayList<>();
            }
        };
    }

    /** A set: a JSON array; read into a {@link LinkedHashSet} (so in stored order). */
    public static <T> ValueCodec<Set<T>> set(ValueCodec<T> element) {
        return new ArrayCodec<Set<T>, T>(element) {
            @Override
            Set<T> empty() {
                return new LinkedHashSet<>();
            }
        };
    }

    /** An array of a reference type: a JSON array; {@code create} is the array constructor ({@code Money[]::new}). */
    public static <T> ValueCodec<T[]> array(ValueCodec<T> element, java.util.function.IntFunction<T[]> create) {
        ValueCodec<List<T>> list = list(element);
        return new ValueCodec<>() {
            @Override
            public void write(JsonGenerator out, T[] values) throws IOException {
                list.write(out, values == null ? null : java.util.Arrays.asList(values));
            }

            @Override
            public T[] read(JsonParser in) throws IOException {
                List<T> values = list.read(in);
                return values == null ? null : values.toArray(create.apply(values.size()));
            }
        };
    }

    /** A map with string keys: a JSON object; read into a {@link LinkedHashMap}. */
    public static <V> ValueCodec<Map<String, V>> map(ValueCodec<V> value) {
        return new ValueCodec<>() {
            @Override
            public void write(JsonGenerator out, Map<String, V> map) throws IOException {
                if (map == null) {
                    out.writeNull();
                    return;
                }
                // Without its size, as databind writes maps (CBOR: an indefinite-length map).
                out.writeStartObject(map);
                for (Map.Entry<String, V> entry : map.entrySet()) {
                    out.writeFieldName(entry.getKey());
                    value.write(out, entry.getValue());
                }
                out.writeEndObject();
            }

            @Override
            public Map<String, V> read(JsonParser in) throws IOException {
                if (in.currentToken() == JsonToken.VALUE_NULL) {
                    return null;
                }
                expect(in, JsonToken.START_OBJECT, "an object");
                Map<String, V> map = new LinkedHashMap<>();
                while (in.nextToken() == JsonToken.FIELD_NAME) {
                    String key = in.currentName();
                    in.nextToken();
                    map.put(key, value.read(in));
                }
                return map;
            }
        };
    }

    /** An {@link Optional}: the value, or JSON null when empty (as {@code jackson-datatype-jdk8} writes it). */
    public static <T> ValueCodec<Optional<T>> optional(ValueCodec<T> value) {
        return new ValueCodec<>() {
            @Override
            public void write(JsonGenerator out, Optional<T> optional) throws IOException {
                if (optional == null || optional.isEmpty()) {
                    out.writeNull();
                } else {
                    value.write(out, optional.get());
                }
            }

            @Override
            public Optional<T> read(JsonParser in) throws IOException {
                return in.currentToken() == JsonToken.VALUE_NULL ? Optional.empty() : Optional.ofNullable(value.read(in));
            }
        };
    }

    /** An enum by its constant names, as databind writes it; {@code values} is the enum's {@code values()}. */
    public static <E extends Enum<E>> ValueCodec<E> enumCodec(String typeName, E[] values) {
        Map<String, E> byName = new HashMap<>();
        for (E value : values) {
            byName.put(value.name(), value);
        }
        return new Scalar<>("a constant of " + typeName, (out, v) -> out.writeString(v.name()), p -> {
            E constant = byName.get(p.getText());
            if (constant == null) {
                throw new IllegalArgumentException("\"" + p.getText() + "\" is not a constant of " + typeName
                        + " (" + String.join(", ", new java.util.TreeSet<>(byName.keySet())) + ")");
            }
            return constant;
        }, JsonToken.VALUE_STRING);
    }

    /** A codec looked up on first use: generated codecs refer to each other through it (recursive types). */
    public static <T> ValueCodec<T> ref(Supplier<ValueCodec<T>> codec) {
        return new ValueCodec<>() {
            @Override
            public void write(JsonGenerator out, T value) throws IOException {
                codec.get().write(out, value);
            }

            @Override
            public T read(JsonParser in) throws IOException {
                return codec.get().read(in);
            }
        };
    }

    // ---- helpers for generated code ------------------------------------------------------------------------------

    /** An {@code int}: a JSON integer; null reads as 0 (as databind reads it). */
    public static int readInt(JsonParser in) throws IOException {
        return primitive(in, JsonToken.VALUE_NUMBER_INT, "an integer") ? in.getIntValue() : 0;
    }

    /** A {@code long}: a JSON integer; null reads as 0. */
    public static long readLong(JsonParser in) throws IOException {
        return primitive(in, JsonToken.VALUE_NUMBER_INT, "an integer") ? in.getLongValue() : 0L;
    }

    /** A {@code short}: a JSON integer; null reads as 0. */
    public static short readShort(JsonParser in) throws IOException {
        return primitive(in, JsonToken.VALUE_NUMBER_INT, "an integer") ? in.getShortValue() : 0;
    }

    /** A {@code byte}: a JSON integer; null reads as 0. */
    public static byte readByte(JsonParser in) throws IOException {
        return primitive(in, JsonToken.VALUE_NUMBER_INT, "an integer") ? in.getByteValue() : 0;
    }

    /** A {@code boolean}; null reads as false. */
    public static boolean readBoolean(JsonParser in) throws IOException {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return false;
        }
        if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
            throw mismatch(in, "a boolean");
        }
        return token == JsonToken.VALUE_TRUE;
    }

    /** A {@code double}: a number, or "NaN"/"Infinity"/"-Infinity"; null reads as 0. */
    public static double readDouble(JsonParser in) throws IOException {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
            return in.getDoubleValue();
        }
        if (token == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (token == JsonToken.VALUE_STRING) {
            return switch (in.getText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw mismatch(in, "a number");
            };
        }
        throw mismatch(in, "a number");
    }

    /** A {@code float}, read as {@link #readDouble} reads a double. */
    public static float readFloat(JsonParser in) throws IOException {
        JsonToken token = in.currentToken();
        return token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT ? in.getFloatValue()
                : (float) readDouble(in);
    }

    /** A {@code char}: a one-character string; null reads as {@code '\0'}. */
    public static char readChar(JsonParser in) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_NULL) {
            return '\0';
        }
        String text = in.currentToken() == JsonToken.VALUE_STRING ? in.getText() : null;
        if (text == null || text.length() != 1) {
            throw mismatch(in, "a one-character string");
        }
        return text.charAt(0);
    }

    /** A string or null. */
    public static String readString(JsonParser in) throws IOException {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return in.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        throw mismatch(in, "a string");
    }

    /** Fails unless the current token is {@code expected}. */
    public static void expect(JsonParser in, JsonToken expected, String what) throws IOException {
        if (in.currentToken() != expected) {
            throw mismatch(in, what);
        }
    }

    /**
     * {@code in} for reading leniently: generated codecs reading from the returned parser skip properties the record
     * does not have and leave missing properties null (or zero, or empty), as {@link JsonEventCodec#relaxing} does
     * for databind; a wrong JSON type, an unknown {@code "@type"} and trailing content still fail. Reads go to
     * {@code in}, which stays the caller's to close.
     */
    public static JsonParser lenient(JsonParser in) {
        return in instanceof LenientParser ? in : new LenientParser(in);
    }

    /**
     * A property {@code type} does not have, the parser on its value: fails (decoding is strict) unless the parser
     * is {@link #lenient}, which skips the value.
     */
    public static void skipUnknown(JsonParser in, String type, String property, String known) throws IOException {
        if (!(in instanceof LenientParser)) {
            throw unknownProperty(in, type, property, known);
        }
        in.skipChildren();
    }

    /** The error for a property {@code type} does not have (decoding is strict). */
    public static IOException unknownProperty(JsonParser in, String type, String property, String known) {
        return new CodecException(in, type, "Unknown property \"" + property + "\" in " + type + " (its properties: "
                + known + "). The data was written by other code or changed by hand; add the property to the record"
                + " (with a schema version bump and an upcaster) or remove it from the data.");
    }

    /**
     * Fails unless every bit of {@code required} is set in {@code seen} (or the parser is {@link #lenient}); bit
     * {@code i} is property {@code names[offset + i]}.
     */
    public static void checkPresent(JsonParser in, String type, String[] names, long seen, long required, int offset)
            throws IOException {
        long missing = required & ~seen;
        if (missing == 0 || in instanceof LenientParser) {
            return;
        }
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            if ((missing & (1L << i)) != 0) {
                absent.add("\"" + names[offset + i] + "\"");
            }
        }
        throw new CodecException(in, type, "Missing " + (absent.size() == 1 ? "property " : "properties ")
                + String.join(", ", absent) + " of " + type + ". Every property is required except Optional and"
                + " @Nullable ones; an older shape needs a schema version bump and an upcaster that adds it.");
    }

    /** Wraps a failure while reading {@code field} of {@code type} so the message names both. */
    public static IOException failure(JsonParser in, String type, String field, Exception cause) {
        if (cause instanceof CodecException codec && codec.type.equals(type) && !codec.claimed) {
            // This reader's own error (unknown property): it names the type already. Claimed, so that a reader of
            // the same type further out (a recursive record) still adds its property.
            codec.claimed = true;
            return codec;
        }
        String detail = cause instanceof com.fasterxml.jackson.core.JsonProcessingException json
                ? json.getOriginalMessage() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        CodecException wrapped = new CodecException(in, type, "Cannot read property \"" + field + "\" of " + type
                + ": " + detail, cause);
        wrapped.claimed = true;
        return wrapped;
    }

    /** A decoding failure of {@code type} with {@code message}. */
    public static IOException invalid(JsonParser in, String type, String message) {
        return new CodecException(in, type, message);
    }

    /** Wraps an exception of {@code type}'s constructor (a validating compact constructor, a Kotlin null check). */
    public static IOException rejected(JsonParser in, String type, RuntimeException cause) {
        return new CodecException(in, type, type + " rejected the stored values: " + cause, cause);
    }

    /** Fails when input is left after the value (decoding is strict). */
    public static void expectEnd(JsonParser in, String type) throws IOException {
        JsonToken next = in.nextToken();
        if (next != null) {
            throw new CodecException(in, type, "Unexpected " + next + " after the end of " + type
                    + ": the stored data has trailing content.");
        }
    }

    private static boolean primitive(JsonParser in, JsonToken expected, String what) throws IOException {
        JsonToken token = in.currentToken();
        if (token == expected) {
            return true;
        }
        if (token == JsonToken.VALUE_NULL) {
            return false;
        }
        throw mismatch(in, what);
    }

    static IOException mismatch(JsonParser in, String what) {
        return new CodecException(in, null, "expected " + what + " but found " + in.currentToken());
    }

    private static void writeUuid(JsonGenerator out, UUID value) throws IOException {
        if (!out.canWriteBinaryNatively()) {
            out.writeString(value.toString());
            return;
        }
        byte[] bytes = dev.eskit.internal.Ids.bytes(value);
        out.writeBinary(bytes);
    }

    private static UUID readUuid(JsonParser in) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_STRING) {
            return UUID.fromString(in.getText());
        }
        byte[] bytes = in.getBinaryValue();
        if (bytes.length != 16) {
            throw mismatch(in, "a UUID of 16 bytes");
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (bytes[i] & 0xff);
            low = (low << 8) | (bytes[8 + i] & 0xff);
        }
        return new UUID(high, low);
    }

    private static Duration readDuration(JsonParser in) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_STRING) {
            return Duration.parse(in.getText());
        }
        BigDecimal seconds = in.getDecimalValue();
        return Duration.ofSeconds(seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
    }

    private static <T> ValueCodec<T> text(String what, Function<T, String> format, Function<String, T> parse) {
        return new Scalar<>(what, (out, v) -> out.writeString(format.apply(v)), p -> parse.apply(p.getText()),
                JsonToken.VALUE_STRING);
    }
}

package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A JSON object as plain Java values, read and written over jackson-core's streaming API: the tree that
 * {@link StreamingUpcaster}s change, so upcasting works without jackson-databind. Property order is kept.
 *
 * <p>Values are {@code null}, {@link String}, {@link Boolean}, numbers ({@link Integer}, {@link Long},
 * {@link BigInteger} for integers, {@link BigDecimal} for JSON decimals, {@link Double}/{@link Float} from binary
 * formats), {@code byte[]} (CBOR byte strings; JSON keeps base64 text as a {@code String}), {@link List} of values and
 * nested {@code JsonObject}s.
 *
 * <pre>{@code
 * @Upcast(event = Withdrawn.class, from = 1)
 * static JsonObject addReason(JsonObject v1) {
 *     return v1.put("reason", "unknown").rename("amount", "amountCents");
 * }
 * }</pre>
 */
public final class JsonObject {

    private final LinkedHashMap<String, Object> properties = new LinkedHashMap<>();

    /** An empty object. */
    public JsonObject() {
    }

    /**
     * Reads the object whose {@code START_OBJECT} is the parser's current token, leaving the parser on its
     * {@code END_OBJECT}.
     *
     * @throws IOException when the input is not a well-formed object
     */
    public static JsonObject read(JsonParser in) throws IOException {
        if (in.currentToken() != JsonToken.START_OBJECT) {
            throw Codecs.mismatch(in, "an object");
        }
        JsonObject object = new JsonObject();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            object.properties.put(name, value(in));
        }
        return object;
    }

    /**
     * Reads the value whose first token is the parser's current token (an object, array, string, number, boolean,
     * null or binary), as a {@code JsonObject} holds it.
     *
     * @throws IOException when the input is not a well-formed value
     */
    public static Object readValue(JsonParser in) throws IOException {
        return value(in);
    }

    /**
     * Writes {@code value}, one of the value types a {@code JsonObject} holds.
     *
     * @throws IllegalArgumentException when it is of another type
     */
    public static void writeValue(JsonGenerator out, Object value) throws IOException {
        write(out, value);
    }

    private static Object value(JsonParser in) throws IOException {
        JsonToken token = in.currentToken();
        return switch (token) {
            case START_OBJECT -> read(in);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(in));
                }
                yield list;
            }
            case VALUE_STRING -> in.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> in.getNumberValueExact();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case VALUE_EMBEDDED_OBJECT -> {
                Object embedded = in.getEmbeddedObject();
                yield embedded instanceof byte[] ? embedded : in.getBinaryValue();
            }
            default -> throw Codecs.mismatch(in, "a JSON value");
        };
    }

    /** Writes this object. */
    public void write(JsonGenerator out) throws IOException {
        out.writeStartObject();
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            out.writeFieldName(property.getKey());
            write(out, property.getValue());
        }
        out.writeEndObject();
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof Boolean flag) {
            out.writeBoolean(flag);
        } else if (value instanceof Integer number) {
            out.writeNumber(number);
        } else if (value instanceof Long number) {
            out.writeNumber(number);
        } else if (value instanceof BigInteger number) {
            out.writeNumber(number);
        } else if (value instanceof BigDecimal number) {
            out.writeNumber(number);
        } else if (value instanceof Double number) {
            out.writeNumber(number);
        } else if (value instanceof Float number) {
            out.writeNumber(number);
        } else if (value instanceof Short number) {
            out.writeNumber(number);
        } else if (value instanceof byte[] bytes) {
            out.writeBinary(bytes);
        } else if (value instanceof JsonObject object) {
            object.write(out);
        } else if (value instanceof List<?> list) {
            out.writeStartArray();
            for (Object element : list) {
                write(out, element);
            }
            out.writeEndArray();
        } else {
            throw new IllegalArgumentException("A JsonObject holds null, String, Boolean, numbers, byte[], List and"
                    + " JsonObject values, not " + value.getClass().getName() + ". Convert it first (toString()"
                    + " for dates and UUIDs, name() for enums).");
        }
    }

    /** This object in {@code factory}'s format (JSON, CBOR). */
    public byte[] toBytes(JsonFactory factory) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (JsonGenerator out = factory.createGenerator(bytes)) {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Whether the object has property {@code name} (a JSON null counts). */
    public boolean has(String name) {
        return properties.containsKey(name);
    }

    /** The value of {@code name}, or null when it is absent or JSON null. */
    public Object get(String name) {
        return properties.get(name);
    }

    /**
     * The text of {@code name}, or null when it is absent or JSON null.
     *
     * @throws IllegalStateException when the value is not a string
     */
    public String getString(String name) {
        return typed(name, String.class, "a string");
    }

    /**
     * The number of {@code name}, or null when it is absent or JSON null.
     *
     * @throws IllegalStateException when the value is not a number
     */
    public Number getNumber(String name) {
        return typed(name, Number.class, "a number");
    }

    /**
     * The nested object of {@code name}, or null when it is absent or JSON null.
     *
     * @throws IllegalStateException when the value is not an object
     */
    public JsonObject getObject(String name) {
        return typed(name, JsonObject.class, "an object");
    }

    /**
     * The array of {@code name} (changeable in place), or null when it is absent or JSON null.
     *
     * @throws IllegalStateException when the value is not an array
     */
    @SuppressWarnings("unchecked")
    public List<Object> getArray(String name) {
        return typed(name, List.class, "an array");
    }

    private <T> T typed(String name, Class<T> type, String what) {
        Object value = properties.get(name);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new IllegalStateException("Property \"" + name + "\" is " + describe(value) + ", not " + what + ".");
    }

    private static String describe(Object value) {
        return value instanceof String ? "a string" : value instanceof Number ? "a number"
                : value instanceof Boolean ? "a boolean" : value instanceof JsonObject ? "an object"
                : value instanceof List ? "an array" : value.getClass().getSimpleName();
    }

    /**
     * Sets {@code name} to {@code value} (a new property goes last) and returns this object.
     *
     * @throws IllegalArgumentException when {@code value} is not one of the value types listed above
     */
    public JsonObject put(String name, Object value) {
        Objects.requireNonNull(name, "name");
        check(value);
        properties.put(name, value);
        return this;
    }

    private static void check(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof BigInteger || value instanceof BigDecimal
                || value instanceof Double || value instanceof Float || value instanceof Short
                || value instanceof byte[] || value instanceof JsonObject) {
            return;
        }
        if (value instanceof List<?> list) {
            list.forEach(JsonObject::check);
            return;
        }
        throw new IllegalArgumentException("A JsonObject holds null, String, Boolean, numbers, byte[], List and"
                + " JsonObject values, not " + value.getClass().getName() + ". Convert it first (toString() for"
                + " dates and UUIDs, name() for enums).");
    }

    /** Removes {@code name} and returns its value (null when absent). */
    public Object remove(String name) {
        return properties.remove(name);
    }

    /**
     * Renames property {@code from} to {@code to} in its place and returns this object; nothing happens when
     * {@code from} is absent.
     *
     * @throws IllegalArgumentException when {@code to} exists already
     */
    public JsonObject rename(String from, String to) {
        Objects.requireNonNull(to, "to");
        if (!properties.containsKey(from) || from.equals(to)) {
            return this;
        }
        if (properties.containsKey(to)) {
            throw new IllegalArgumentException("Cannot rename \"" + from + "\" to \"" + to + "\": the object has \""
                    + to + "\" already. Remove one of them first.");
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>(properties.entrySet());
        properties.clear();
        for (Map.Entry<String, Object> entry : entries) {
            properties.put(entry.getKey().equals(from) ? to : entry.getKey(), entry.getValue());
        }
        return this;
    }

    /** The property names, in order (read-only). */
    public Set<String> names() {
        return Collections.unmodifiableSet(properties.keySet());
    }

    /** The number of properties. */
    public int size() {
        return properties.size();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonObject that && deepEquals(properties, that.properties);
    }

    private static boolean deepEquals(Map<String, Object> a, Map<String, Object> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> entry : a.entrySet()) {
            Object x = entry.getValue();
            Object y = b.get(entry.getKey());
            if (x instanceof byte[] left && y instanceof byte[] right ? !java.util.Arrays.equals(left, right)
                    : !Objects.equals(x, y)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return properties.keySet().hashCode();
    }

    /** The object as JSON text. */
    @Override
    public String toString() {
        return new String(toBytes(new JsonFactory()), java.nio.charset.StandardCharsets.UTF_8);
    }
}

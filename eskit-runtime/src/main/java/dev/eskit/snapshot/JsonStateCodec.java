package dev.eskit.snapshot;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.eskit.EventDecodingException;
import dev.eskit.EventEncodingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link StateCodec} over Jackson. Its {@link #schema()} is {@code <state class name>#<hash>}, where the hash (the
 * first 16 hex digits of a SHA-256) covers the property names and declared types Jackson's own introspection finds on
 * the state type and, recursively, on every non-JDK type it contains (element and key types of collections and maps
 * included). Adding, removing, renaming or retyping a property therefore changes the schema, so snapshots of the old
 * shape are ignored and rebuilt. eskit itself never touches {@code java.lang.reflect}: the shape comes from Jackson's
 * {@link BeanDescription}.
 *
 * <p>A change Jackson cannot see (the meaning of a field, a different fold in {@code evolve}) does not change the
 * schema: clear the snapshot table then, or use a {@link StateCodec} with a schema string of your own.
 *
 * @param <S> the state type
 */
public final class JsonStateCodec<S> implements StateCodec<S> {

    private final Class<S> stateType;
    private final ObjectWriter writer;
    private final ObjectReader reader;
    private final String schema;

    /** A codec for {@code stateType} through {@code mapper}. */
    public JsonStateCodec(ObjectMapper mapper, Class<S> stateType) {
        Objects.requireNonNull(mapper, "mapper");
        this.stateType = Objects.requireNonNull(stateType, "stateType");
        this.writer = mapper.writerFor(stateType);
        this.reader = mapper.readerFor(stateType);
        this.schema = stateType.getName() + "#" + hash(describe(mapper, mapper.constructType(stateType)));
    }

    /**
     * The shape description the schema hash is taken over, one {@code type{name:type,...}} per non-JDK type; exposed
     * so that you can see what a schema covers.
     */
    public static String describe(ObjectMapper mapper, JavaType type) {
        StringBuilder out = new StringBuilder(256);
        describe(mapper, type, out, new HashSet<>());
        return out.toString();
    }

    private static void describe(ObjectMapper mapper, JavaType type, StringBuilder out, Set<String> seen) {
        String name = type.toCanonical();
        out.append(name);
        if (type.isContainerType()) {
            out.append('<');
            if (type.getKeyType() != null) {
                describe(mapper, type.getKeyType(), out, seen);
                out.append(',');
            }
            if (type.getContentType() != null) {
                describe(mapper, type.getContentType(), out, seen);
            }
            out.append('>');
            return;
        }
        for (int i = 0; i < type.containedTypeCount(); i++) {
            out.append(i == 0 ? "<" : ",");
            describe(mapper, type.containedType(i), out, seen);
            out.append(i == type.containedTypeCount() - 1 ? ">" : "");
        }
        if (type.isPrimitive() || type.isEnumType() || type.getRawClass().getName().startsWith("java.")
                || !seen.add(name)) {
            return;
        }
        BeanDescription description = mapper.getSerializationConfig().introspect(type);
        List<BeanPropertyDefinition> properties = new ArrayList<>(description.findProperties());
        properties.sort((a, b) -> a.getName().compareTo(b.getName()));
        out.append('{');
        for (BeanPropertyDefinition property : properties) {
            out.append(property.getName()).append(':');
            JavaType propertyType = property.getPrimaryType();
            if (propertyType == null) {
                out.append('?');
            } else {
                describe(mapper, propertyType, out, seen);
            }
            out.append(';');
        }
        out.append('}');
    }

    private static String hash(String description) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String schema() {
        return schema;
    }

    @Override
    public byte[] encode(S state) {
        try {
            return writer.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new EventEncodingException("State " + stateType.getName() + " cannot be written as JSON for a"
                    + " snapshot: " + e.getMessage() + ". Use a record of JSON-friendly types, or a StateCodec of your"
                    + " own.", e);
        }
    }

    @Override
    public S decode(byte[] data) {
        try {
            S state = reader.readValue(data);
            if (state == null) {
                throw new EventDecodingException("Snapshot data of " + stateType.getName() + " is JSON null.");
            }
            return state;
        } catch (IOException e) {
            throw new EventDecodingException("Snapshot data cannot be read as " + stateType.getName() + ": "
                    + e.getMessage(), e);
        }
    }
}

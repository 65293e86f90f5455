package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * How a generated codec reads and writes one Java type.
 *
 * @param kind      what sort of type it is
 * @param type      the Java type, with wildcards replaced by their bounds
 * @param name      the primitive's name ({@code int}), or the {@code dev.eskit.codec.Codecs} constant of a scalar
 * @param target    the enum, record or sealed type that has a codec of its own; null otherwise
 * @param arguments the element ({@code List}, {@code Set}, {@code Optional}) or value ({@code Map}) type
 */
public record CodecType(Kind kind, TypeName type, String name, ClassName target, List<CodecType> arguments) {

    /** The sorts of types. */
    public enum Kind {
        /** A primitive, read and written inline. */
        PRIMITIVE,
        /** A JDK type with a constant in {@code Codecs} ({@code String}, boxes, {@code BigDecimal}, java.time...). */
        SCALAR,
        /** An enum. */
        ENUM,
        /** A record (or Kotlin property class). */
        RECORD,
        /** A sealed interface or class of records, written with a {@code "@type"} discriminator. */
        SEALED,
        /** A {@code List}. */
        LIST,
        /** A {@code Set}. */
        SET,
        /** A {@code Map} with {@code String} keys. */
        MAP,
        /** An {@code Optional}. */
        OPTIONAL,
        /** An array of a reference type ({@code Money[]}); {@code byte[]} is a {@code SCALAR}. */
        ARRAY
    }

    /** Copies the arguments. */
    public CodecType {
        arguments = List.copyOf(arguments);
    }

    /** A type without arguments. */
    public static CodecType of(Kind kind, TypeName type, String name, ClassName target) {
        return new CodecType(kind, type, name, target, List.of());
    }
}

package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * The codec of one enum, record or sealed type, a nested class of a {@code <Package>Codecs} file.
 *
 * @param type     the enum, record or sealed type
 * @param kind     {@code ENUM}, {@code RECORD} or {@code SEALED}
 * @param fields   a record's properties, in constructor order (empty otherwise)
 * @param subtypes a sealed type's records with their discriminators, sorted by discriminator (empty otherwise)
 * @param skipped  properties accepted and ignored on read: the computed properties of a Kotlin class, which
 *                 jackson-module-kotlin writes (so stored data may have them) but its constructor does not take
 */
public record CodecDefinitionModel(ClassName type, CodecType.Kind kind, List<Field> fields, List<Subtype> subtypes,
                                   List<String> skipped) {

    /** Copies the lists. */
    public CodecDefinitionModel {
        fields = List.copyOf(fields);
        subtypes = List.copyOf(subtypes);
        skipped = List.copyOf(skipped);
    }

    /** A definition that skips no properties. */
    public CodecDefinitionModel(ClassName type, CodecType.Kind kind, List<Field> fields, List<Subtype> subtypes) {
        this(type, kind, fields, subtypes, List.of());
    }

    /**
     * One property of a record.
     *
     * @param json     the JSON property name
     * @param accessor the accessor method ({@code amount} or {@code getAmount})
     * @param declared the accessor's declared type (may hold wildcards)
     * @param codec    how its value is read and written
     * @param required whether a stored value must have it (not {@code Optional}, not {@code @Nullable})
     */
    public record Field(String json, String accessor, TypeName declared, CodecType codec, boolean required) {
    }

    /**
     * One record of a sealed type.
     *
     * @param id     the discriminator, the class name after the package as Jackson's {@code Id.NAME} writes it
     * @param record the record
     */
    public record Subtype(String id, ClassName record) {
    }
}

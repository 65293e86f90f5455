package dev.eskit.processor.write;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.eskit.processor.model.CodecDefinitionModel;
import dev.eskit.processor.model.CodecType;
import dev.eskit.processor.model.CodecsModel;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Writes a {@code <Package>Codecs} file: one public {@code ValueCodec} constant per event, state and command (and a
 * {@code StateCodec} per state), and one private nested codec per enum, record and sealed type they reach, reading
 * and writing jackson-core's {@code JsonParser}/{@code JsonGenerator} directly: no databind, no reflection.
 */
public final class CodecWriter {

    static final ClassName VALUE_CODEC = ClassName.get("dev.eskit.codec", "ValueCodec");
    static final ClassName CODECS = ClassName.get("dev.eskit.codec", "Codecs");
    static final ClassName SERIALIZABLE = ClassName.get("com.fasterxml.jackson.core", "SerializableString");
    static final com.palantir.javapoet.ArrayTypeName SERIALIZABLE_ARRAY = com.palantir.javapoet.ArrayTypeName.of(SERIALIZABLE);
    static final ClassName SERIALIZED = ClassName.get("com.fasterxml.jackson.core.io", "SerializedString");
    private static final ClassName STATE_CODEC = ClassName.get("dev.eskit.snapshot", "StateCodec");
    private static final ClassName GENERATOR = ClassName.get("com.fasterxml.jackson.core", "JsonGenerator");
    private static final ClassName PARSER = ClassName.get("com.fasterxml.jackson.core", "JsonParser");
    private static final ClassName TOKEN = ClassName.get("com.fasterxml.jackson.core", "JsonToken");

    /** The file for {@code model}. */
    public JavaFile write(CodecsModel model) {
        Map<ClassName, ClassName> names = nestedNames(model.className(), model.definitions());
        TypeSpec.Builder file = TypeSpec.classBuilder(model.className())
                .addJavadoc("Generated streaming codecs of the events, decider states and commands of package"
                        + " {@code $L}:\nread and written over jackson-core without jackson-databind or reflection."
                        + " See {@code docs/codecs.md}.\n", model.className().packageName())
                .addAnnotation(WriteSupport.generated())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
        for (CodecsModel.Root root : model.roots()) {
            TypeName type = ParameterizedTypeName.get(VALUE_CODEC, root.codec().type().box());
            file.addField(FieldSpec.builder(type, root.constant(), Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("Reads and writes {@code $L}.\n", root.codec().type().toString())
                    .initializer(codec(root.codec(), names, false))
                    .build());
            if (root.schema() != null) {
                file.addField(FieldSpec.builder(ParameterizedTypeName.get(STATE_CODEC, root.codec().type().box()),
                                root.constant() + "_SNAPSHOTS", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("Snapshots of {@code $L} as JSON, schema {@code $L} (derived from its shape).\n",
                                root.codec().type().toString(), root.schema())
                        .initializer("$T.of($N, $S)", STATE_CODEC, root.constant(), root.schema())
                        .build());
            }
        }
        for (CodecDefinitionModel definition : model.definitions()) {
            file.addType(switch (definition.kind()) {
                case ENUM -> enumCodec(definition, names);
                case SEALED -> sealedCodec(definition, names);
                default -> RecordCodecWriter.write(definition, names);
            });
        }
        model.origins().forEach(file::addOriginatingElement);
        return WriteSupport.file(model.className().packageName(), file.build(),
                "the events, states and commands of package " + model.className().packageName());
    }

    /** {@code Deposited_}, {@code Account_State_} for a nested type; a counter after a clash. */
    static Map<ClassName, ClassName> nestedNames(ClassName outer, List<CodecDefinitionModel> definitions) {
        Map<ClassName, ClassName> names = new HashMap<>();
        Set<String> taken = new HashSet<>();
        for (CodecDefinitionModel definition : definitions) {
            String base = String.join("_", definition.type().simpleNames()) + "_";
            String name = base;
            for (int i = 2; !taken.add(name); i++) {
                name = base + i;
            }
            names.put(definition.type(), outer.nestedClass(name));
        }
        return names;
    }

    /**
     * The codec expression of {@code type}: a {@code Codecs} constant or combinator, or a nested codec (through
     * {@code Codecs.ref} inside combinators, so that recursive types initialise).
     */
    static CodeBlock codec(CodecType type, Map<ClassName, ClassName> names, boolean lazy) {
        return switch (type.kind()) {
            case PRIMITIVE -> CodeBlock.of("$T.$L", CODECS, boxed(type.name()));
            case SCALAR -> CodeBlock.of("$T.$L", CODECS, type.name());
            case ENUM, RECORD, SEALED -> lazy
                    ? CodeBlock.of("$T.ref(() -> $T.INSTANCE)", CODECS, names.get(type.target()))
                    : CodeBlock.of("$T.INSTANCE", names.get(type.target()));
            case LIST -> CodeBlock.of("$T.list($L)", CODECS, codec(type.arguments().get(0), names, true));
            case SET -> CodeBlock.of("$T.set($L)", CODECS, codec(type.arguments().get(0), names, true));
            case MAP -> CodeBlock.of("$T.map($L)", CODECS, codec(type.arguments().get(0), names, true));
            case OPTIONAL -> CodeBlock.of("$T.optional($L)", CODECS, codec(type.arguments().get(0), names, true));
            case ARRAY -> CodeBlock.of("$T.array($L, $T[]::new)", CODECS, codec(type.arguments().get(0), names, true),
                    type.arguments().get(0).type());
        };
    }

    private static String boxed(String primitive) {
        return switch (primitive) {
            case "int" -> "INTEGER";
            case "char" -> "CHARACTER";
            default -> primitive.toUpperCase(java.util.Locale.ROOT);
        };
    }

    private static TypeSpec enumCodec(CodecDefinitionModel definition, Map<ClassName, ClassName> names) {
        TypeName type = ParameterizedTypeName.get(VALUE_CODEC, definition.type());
        return TypeSpec.classBuilder(names.get(definition.type()).simpleName())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addField(FieldSpec.builder(type, "INSTANCE", Modifier.STATIC, Modifier.FINAL)
                        .initializer("$T.enumCodec($S, $T.values())", CODECS, definition.type().canonicalName(),
                                definition.type())
                        .build())
                .build();
    }

    private static TypeSpec sealedCodec(CodecDefinitionModel definition, Map<ClassName, ClassName> names) {
        ClassName type = definition.type();
        ClassName self = names.get(type);
        CodeBlock.Builder write = CodeBlock.builder()
                .beginControlFlow("if (value == null)").addStatement("out.writeNull()").addStatement("return")
                .endControlFlow()
                .addStatement("out.writeStartObject()");
        CodeBlock.Builder read = CodeBlock.builder()
                .beginControlFlow("if (in.currentToken() == $T.VALUE_NULL)", TOKEN).addStatement("return null")
                .endControlFlow()
                .addStatement("$T.expect(in, $T.START_OBJECT, $S)", CODECS, TOKEN, "an object (" + type.canonicalName()
                        + ")")
                .beginControlFlow("if (!in.nextFieldName(TYPE_PROPERTY))")
                .addStatement("throw $T.invalid(in, TYPE, $S)", CODECS, "The first property of " + type.canonicalName()
                        + " must be \"@type\", the record it holds (one of " + ids(definition) + ").")
                .endControlFlow()
                .addStatement("in.nextToken()")
                .addStatement("String id = $T.readString(in)", CODECS)
                .beginControlFlow("switch (id == null ? \"\" : id)");
        TypeSpec.Builder nested = nested(self, type)
                .addField(FieldSpec.builder(SERIALIZABLE, "TYPE_PROPERTY", Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL).initializer("new $T($S)", SERIALIZED, "@type").build());
        boolean first = true;
        int index = 0;
        for (CodecDefinitionModel.Subtype subtype : definition.subtypes()) {
            ClassName leaf = names.get(subtype.record());
            nested.addField(FieldSpec.builder(SERIALIZABLE, "ID" + index, Modifier.PRIVATE, Modifier.STATIC,
                    Modifier.FINAL).initializer("new $T($S)", SERIALIZED, subtype.id()).build());
            write.add(first ? "if" : "else if").add(" (value instanceof $T v) {\n", subtype.record()).indent()
                    .addStatement("out.writeFieldName(TYPE_PROPERTY)")
                    .addStatement("out.writeString(ID$L)", index++)
                    .addStatement("$T.INSTANCE.writeFields(out, v)", leaf)
                    .unindent().add("} ");
            first = false;
            read.add("case $S:\n", subtype.id()).indent()
                    .addStatement("return $T.INSTANCE.readFields(in)", leaf).unindent();
        }
        write.add("else {\n").indent()
                .addStatement("throw new IllegalArgumentException($S + value.getClass().getName())",
                        type.canonicalName() + " has no generated codec for ")
                .unindent().add("}\n")
                .addStatement("out.writeEndObject()");
        read.add("default:\n").indent()
                .addStatement("throw $T.invalid(in, TYPE, $S + id + $S)", CODECS, "Unknown \"@type\" \"",
                        "\" of " + type.canonicalName() + " (known: " + ids(definition) + ").")
                .unindent().endControlFlow();
        return nested
                .addMethod(MethodSpec.methodBuilder("write").addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC).addException(IOException.class)
                        .addParameter(GENERATOR, "out").addParameter(type, "value")
                        .addCode(write.build()).build())
                .addMethod(MethodSpec.methodBuilder("read").addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC).addException(IOException.class).returns(type)
                        .addParameter(PARSER, "in").addCode(read.build()).build())
                .build();
    }

    private static String ids(CodecDefinitionModel definition) {
        return definition.subtypes().stream().map(CodecDefinitionModel.Subtype::id).collect(Collectors.joining(", "));
    }

    /** The nested class {@code name implements ValueCodec<type>} with its {@code INSTANCE} and {@code TYPE}. */
    static TypeSpec.Builder nested(ClassName name, ClassName type) {
        return TypeSpec.classBuilder(name.simpleName())
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(VALUE_CODEC, type))
                .addField(FieldSpec.builder(name, "INSTANCE", Modifier.STATIC, Modifier.FINAL)
                        .initializer("new $T()", name).build())
                .addField(FieldSpec.builder(String.class, "TYPE", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$S", type.canonicalName()).build());
    }

    /** {@code @SuppressWarnings("unchecked")}, for casts from a wildcard type a Kotlin stub declares. */
    static AnnotationSpec unchecked() {
        return AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "unchecked").build();
    }
}

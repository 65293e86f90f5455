package dev.eskit.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.eskit.processor.model.CodecDefinitionModel;
import dev.eskit.processor.model.CodecDefinitionModel.Field;
import dev.eskit.processor.model.CodecType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * The nested codec of one record: {@code write}/{@code writeFields} and {@code read}/{@code readFields} (the sealed
 * codec calls the {@code Fields} halves after the discriminator). Decoding is strict: an unknown property, a missing
 * required one or a value of the wrong JSON type fails with the record's name and the property's.
 */
final class RecordCodecWriter {

    private static final ClassName GENERATOR = ClassName.get("com.fasterxml.jackson.core", "JsonGenerator");
    private static final ClassName PARSER = ClassName.get("com.fasterxml.jackson.core", "JsonParser");
    private static final ClassName TOKEN = ClassName.get("com.fasterxml.jackson.core", "JsonToken");
    private static final ClassName CODECS = CodecWriter.CODECS;

    private RecordCodecWriter() {
    }

    static TypeSpec write(CodecDefinitionModel definition, Map<ClassName, ClassName> names) {
        ClassName type = definition.type();
        List<Field> fields = definition.fields();
        TypeSpec.Builder nested = CodecWriter.nested(names.get(type), type);
        nested.addField(FieldSpec.builder(String[].class, "NAMES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("{$L}", fields.stream().map(f -> CodeBlock.of("$S", f.json()))
                        .collect(CodeBlock.joining(", ")))
                .build());
        nested.addField(FieldSpec.builder(String.class, "KNOWN", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$S", fields.stream().map(Field::json).collect(Collectors.joining(", ")))
                .build());
        for (int i = 0; i < fields.size(); i++) {
            // Property names encoded once (quoted UTF-8), not on every write.
            nested.addField(FieldSpec.builder(CodecWriter.SERIALIZABLE, "N" + i, Modifier.PRIVATE, Modifier.STATIC,
                            Modifier.FINAL)
                    .initializer("new $T($S)", CodecWriter.SERIALIZED, fields.get(i).json()).build());
        }
        nested.addField(FieldSpec.builder(CodecWriter.SERIALIZABLE_ARRAY, "ORDER", Modifier.PRIVATE, Modifier.STATIC,
                        Modifier.FINAL)
                .initializer("{$L}", java.util.stream.IntStream.range(0, fields.size())
                        .mapToObj(i -> CodeBlock.of("N$L", i)).collect(CodeBlock.joining(", ")))
                .build());
        for (int i = 0; i < fields.size(); i++) {
            CodecType codec = fields.get(i).codec();
            if (composite(codec)) {
                nested.addField(FieldSpec.builder(ParameterizedTypeName.get(CodecWriter.VALUE_CODEC, codec.type()),
                                "F" + i, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer(CodecWriter.codec(codec, names, true)).build());
            }
        }
        CodeBlock.Builder writeFields = CodeBlock.builder();
        boolean casts = false;
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            CodeBlock value = CodeBlock.of("value.$N()", field.accessor());
            if (!field.declared().equals(field.codec().type()) && field.codec().kind() != CodecType.Kind.PRIMITIVE) {
                value = CodeBlock.of("($T) $L", field.codec().type(), value);
                casts = true;
            }
            writeFields.addStatement("out.writeFieldName(N$L)", i).add(write(field.codec(), value, i, names));
        }
        MethodSpec.Builder writeFieldsMethod = MethodSpec.methodBuilder("writeFields")
                .addException(IOException.class).addParameter(GENERATOR, "out").addParameter(type, "value")
                .addCode(writeFields.build());
        if (casts) {
            writeFieldsMethod.addAnnotation(CodecWriter.unchecked());
        }
        nested.addMethod(MethodSpec.methodBuilder("write").addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC).addException(IOException.class)
                        .addParameter(GENERATOR, "out").addParameter(type, "value")
                        .beginControlFlow("if (value == null)").addStatement("out.writeNull()").addStatement("return")
                        .endControlFlow()
                        .addStatement("out.writeStartObject()")
                        .addStatement("writeFields(out, value)")
                        .addStatement("out.writeEndObject()")
                        .build())
                .addMethod(writeFieldsMethod.build())
                .addMethod(MethodSpec.methodBuilder("read").addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC).addException(IOException.class).returns(type)
                        .addParameter(PARSER, "in")
                        .beginControlFlow("if (in.currentToken() == $T.VALUE_NULL)", TOKEN).addStatement("return null")
                        .endControlFlow()
                        .addStatement("$T.expect(in, $T.START_OBJECT, $S)", CODECS, TOKEN,
                                "an object (" + type.canonicalName() + ")")
                        .addStatement("return readFields(in)")
                        .build())
                .addMethod(readFields(definition, names))
                .addMethod(index(definition));
        return nested.build();
    }

    /** Whether a field's codec is a combinator kept in a static field. */
    private static boolean composite(CodecType codec) {
        return switch (codec.kind()) {
            case LIST, SET, MAP, OPTIONAL, ARRAY -> true;
            default -> false;
        };
    }

    private static CodeBlock write(CodecType codec, CodeBlock value, int index, Map<ClassName, ClassName> names) {
        return switch (codec.kind()) {
            case PRIMITIVE -> switch (codec.name()) {
                case "boolean" -> CodeBlock.builder().addStatement("out.writeBoolean($L)", value).build();
                case "char" -> CodeBlock.builder().addStatement("out.writeString(String.valueOf($L))", value).build();
                case "byte" -> CodeBlock.builder().addStatement("out.writeNumber((int) $L)", value).build();
                default -> CodeBlock.builder().addStatement("out.writeNumber($L)", value).build();
            };
            case SCALAR -> codec.name().equals("STRING")
                    ? CodeBlock.builder().addStatement("out.writeString($L)", value).build()
                    : CodeBlock.builder().addStatement("$T.$L.write(out, $L)", CODECS, codec.name(), value).build();
            case ENUM, RECORD, SEALED -> CodeBlock.builder()
                    .addStatement("$T.INSTANCE.write(out, $L)", names.get(codec.target()), value).build();
            default -> CodeBlock.builder().addStatement("F$L.write(out, $L)", index, value).build();
        };
    }

    private static CodeBlock read(CodecType codec, int index, Map<ClassName, ClassName> names) {
        return switch (codec.kind()) {
            case PRIMITIVE -> switch (codec.name()) {
                case "boolean" -> CodeBlock.of("$T.readBoolean(in)", CODECS);
                case "char" -> CodeBlock.of("$T.readChar(in)", CODECS);
                default -> CodeBlock.of("$T.read$L(in)", CODECS, Character.toUpperCase(codec.name().charAt(0))
                        + codec.name().substring(1));
            };
            case SCALAR -> codec.name().equals("STRING") ? CodeBlock.of("$T.readString(in)", CODECS)
                    : CodeBlock.of("$T.$L.read(in)", CODECS, codec.name());
            case ENUM, RECORD, SEALED -> CodeBlock.of("$T.INSTANCE.read(in)", names.get(codec.target()));
            default -> CodeBlock.of("F$L.read(in)", index);
        };
    }

    private static MethodSpec readFields(CodecDefinitionModel definition, Map<ClassName, ClassName> names) {
        List<Field> fields = definition.fields();
        CodeBlock.Builder body = CodeBlock.builder();
        int words = (fields.size() + 63) / 64;
        for (int i = 0; i < fields.size(); i++) {
            Field field = fields.get(i);
            body.addStatement("$T v$L = $L", field.codec().type(), i, initial(field.codec()));
        }
        for (int w = 0; w < words; w++) {
            body.addStatement("long seen$L = 0L", w);
        }
        // Expected order first: a property in the order databind and these codecs write is matched on its encoded
        // bytes (nextFieldName), without looking up its name; any other order falls back to the name switch.
        body.addStatement("int expect = 0")
                .beginControlFlow("while (true)")
                .addStatement("String field")
                .addStatement("int index")
                .beginControlFlow("if (expect < ORDER.length && in.nextFieldName(ORDER[expect]))")
                .addStatement("index = expect")
                .addStatement("field = NAMES[expect]")
                .nextControlFlow("else")
                .beginControlFlow("if ((expect < ORDER.length ? in.currentToken() : in.nextToken()) != $T.FIELD_NAME)",
                        TOKEN)
                .addStatement("break")
                .endControlFlow()
                .addStatement("field = in.currentName()")
                .addStatement("index = index(field)")
                .endControlFlow()
                .addStatement("in.nextToken()")
                .beginControlFlow("try")
                .beginControlFlow("switch (index)");
        for (int i = 0; i < fields.size(); i++) {
            body.add("case $L:\n", i).indent()
                    .addStatement("v$L = $L", i, read(fields.get(i).codec(), i, names))
                    .addStatement("seen$L |= $LL", i / 64, Long.toString(1L << (i % 64)))
                    .addStatement("break").unindent();
        }
        if (!definition.skipped().isEmpty()) {
            body.add("case -1:\n").indent()
                    .addStatement("in.skipChildren()")
                    .addStatement("break").unindent();
        }
        body.add("default:\n").indent()
                .addStatement("$T.skipUnknown(in, TYPE, field, KNOWN)", CODECS)
                .addStatement("break").unindent()
                .endControlFlow()
                .nextControlFlow("catch ($T | $T e)", IOException.class, RuntimeException.class)
                .addStatement("throw $T.failure(in, TYPE, field, e)", CODECS)
                .endControlFlow()
                .beginControlFlow("if (index >= 0)")
                .addStatement("expect = index + 1")
                .endControlFlow()
                .endControlFlow();
        for (int w = 0; w < words; w++) {
            long required = 0;
            for (int i = w * 64; i < Math.min(fields.size(), (w + 1) * 64); i++) {
                if (fields.get(i).required()) {
                    required |= 1L << (i % 64);
                }
            }
            if (required != 0) {
                body.addStatement("$T.checkPresent(in, TYPE, NAMES, seen$L, $LL, $L)", CODECS, w,
                        Long.toString(required), w * 64);
            }
        }
        String arguments = java.util.stream.IntStream.range(0, fields.size()).mapToObj(i -> "v" + i)
                .collect(Collectors.joining(", "));
        body.beginControlFlow("try")
                .addStatement("return new $T($L)", definition.type(), arguments)
                .nextControlFlow("catch ($T e)", RuntimeException.class)
                .addStatement("throw $T.rejected(in, TYPE, e)", CODECS)
                .endControlFlow();
        return MethodSpec.methodBuilder("readFields")
                .addException(IOException.class).returns(definition.type())
                .addParameter(PARSER, "in")
                .addCode(body.build())
                .build();
    }

    /** {@code index(name)}: the property's position, -1 for a skipped getter-only property, -2 for an unknown one. */
    private static MethodSpec index(CodecDefinitionModel definition) {
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (field)");
        for (int i = 0; i < definition.fields().size(); i++) {
            body.add("case $S:\n", definition.fields().get(i).json()).indent().addStatement("return $L", i).unindent();
        }
        for (String skipped : definition.skipped()) {
            body.add("case $S:\n", skipped).indent().addStatement("return -1").unindent();
        }
        body.add("default:\n").indent().addStatement("return -2").unindent().endControlFlow();
        return MethodSpec.methodBuilder("index").addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(int.class)
                .addParameter(String.class, "field").addCode(body.build()).build();
    }

    private static CodeBlock initial(CodecType codec) {
        if (codec.kind() == CodecType.Kind.OPTIONAL) {
            return CodeBlock.of("$T.empty()", java.util.Optional.class);
        }
        if (codec.kind() != CodecType.Kind.PRIMITIVE) {
            return CodeBlock.of("null");
        }
        return switch (codec.name()) {
            case "boolean" -> CodeBlock.of("false");
            case "char" -> CodeBlock.of("'\\0'");
            case "long" -> CodeBlock.of("0L");
            case "float" -> CodeBlock.of("0F");
            case "double" -> CodeBlock.of("0D");
            case "byte", "short" -> CodeBlock.of("($T) 0", TypeName.get(codec.type().toString().equals("byte")
                    ? byte.class : short.class));
            default -> CodeBlock.of("0");
        };
    }
}

package dev.eskit.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.eskit.processor.model.EventModel;
import dev.eskit.processor.model.RegistryModel;
import dev.eskit.processor.model.UpcastModel;
import dev.eskit.processor.model.TagModel;
import java.util.Comparator;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Writes a package's {@code <Package>EventTypes} registry. */
public final class EventTypesWriter {

    private static final ClassName EVENT_TYPE = ClassName.get("dev.eskit.codec", "EventType");
    private static final ClassName REGISTRY = ClassName.get("dev.eskit.codec", "EventTypeRegistry");
    private static final ClassName LIST = ClassName.get(List.class);
    private static final ClassName MAP = ClassName.get("java.util", "Map");
    private static final ClassName UPCASTER = ClassName.get("dev.eskit.codec", "Upcaster");
    private static final ClassName TAG = ClassName.get("dev.eskit.dcb", "Tag");

    /** The registry file for {@code model}. */
    public JavaFile write(RegistryModel model) {
        TypeName listType = ParameterizedTypeName.get(LIST,
                ParameterizedTypeName.get(EVENT_TYPE, WildcardTypeName.subtypeOf(Object.class)));
        List<EventModel> events = model.events().stream()
                .sorted(Comparator.comparing(e -> e.type().canonicalName()))
                .toList();
        CodeBlock.Builder entries = CodeBlock.builder().add("$T.of(\n", LIST).indent();
        for (int i = 0; i < events.size(); i++) {
            EventModel event = events.get(i);
            CodeBlock aliases = event.aliases().isEmpty()
                    ? CodeBlock.of("$T.of()", LIST)
                    : CodeBlock.of("$T.of($L)", LIST, event.aliases().stream()
                            .map(a -> CodeBlock.of("$S", a)).collect(CodeBlock.joining(", ")));
            entries.add("new $T<>($S, $T.class, $L, $L, $L)$L$L$L\n", EVENT_TYPE, event.wireName(), event.type(),
                    event.version(), aliases, upcasters(event), tags(model, event), codec(model, event),
                    i + 1 < events.size() ? "," : "");
        }
        entries.unindent().add(")");
        TypeSpec.Builder type = TypeSpec.classBuilder(model.className())
                .addJavadoc("The event types of package {@code $L}, found by {@code EventTypes.discover()} through\n"
                        + "{@code META-INF/services/dev.eskit.codec.EventTypeRegistry}.\n", model.className().packageName())
                .addAnnotation(WriteSupport.generated())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(REGISTRY)
                .addField(FieldSpec.builder(listType, "TYPES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .initializer(entries.build())
                        .build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addJavadoc("Creates the registry; {@code ServiceLoader} calls this.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .build())
                .addMethod(MethodSpec.methodBuilder("eventTypes")
                        .addJavadoc("The event types of this package, sorted by class name.\n")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(listType)
                        .addStatement("return TYPES")
                        .build());
        addWireNameConstants(type, events);
        events.forEach(e -> {
            type.addOriginatingElement(e.origin());
            e.upcasters().forEach(u -> type.addOriginatingElement(u.origin().getEnclosingElement()));
        });
        return WriteSupport.file(model.className().packageName(), type.build(),
                "the @Event records of package " + model.className().packageName());
    }

    /**
     * One {@code public static final String} per event holding its wire name ({@code DEPOSITED = "bank.Deposited"}), so
     * queries and subscription filters need no string literals.
     */
    private static void addWireNameConstants(TypeSpec.Builder type, List<EventModel> events) {
        java.util.Set<String> taken = new java.util.HashSet<>(List.of("TYPES"));
        for (EventModel event : events) {
            String base = String.join("_", event.type().simpleNames())
                    .replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
            String name = base;
            for (int i = 2; !taken.add(name); i++) {
                name = base + "_" + i;
            }
            type.addField(FieldSpec.builder(String.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The wire name of {@link $T}.\n", event.type())
                    .initializer("$S", event.wireName())
                    .build());
        }
    }

    /**
     * {@code Map.of()}, or the chain: {@code Map.<Integer, Upcaster>of(1, Owner::json, 2, Upcaster.typed(Old.class,
     * Owner::typed))} ({@code Map.ofEntries} past ten steps).
     */
    private static CodeBlock upcasters(EventModel event) {
        if (event.upcasters().isEmpty()) {
            return CodeBlock.of("$T.of()", MAP);
        }
        List<CodeBlock> steps = event.upcasters().stream().map(EventTypesWriter::upcaster).toList();
        boolean many = steps.size() > 10;
        CodeBlock.Builder chain = CodeBlock.builder()
                .add("$T.<$T, $T>$L(\n", MAP, Integer.class, UPCASTER, many ? "ofEntries" : "of")
                .indent().indent();
        for (int i = 0; i < steps.size(); i++) {
            UpcastModel upcast = event.upcasters().get(i);
            if (many) {
                chain.add("$T.entry($L, $L)", MAP, upcast.from(), steps.get(i));
            } else {
                chain.add("$L, $L", upcast.from(), steps.get(i));
            }
            chain.add(i + 1 < steps.size() ? ",\n" : ")");
        }
        return chain.unindent().unindent().build();
    }

    private static CodeBlock upcaster(UpcastModel upcast) {
        if (upcast.reads() == null) {
            return CodeBlock.of("$T::$N", upcast.owner(), upcast.method());
        }
        if (upcast.streaming()) {
            return CodeBlock.of("$T.streaming($T::$N)", UPCASTER, upcast.owner(), upcast.method());
        }
        if (upcast.generatedTyped()) {
            return CodeBlock.of("$T.typed($T.class, $T::$N, $T.$N, $T.$N)", UPCASTER, upcast.reads(), upcast.owner(),
                    upcast.method(), upcast.readsCodec().file(), upcast.readsCodec().constant(),
                    upcast.returnsCodec().file(), upcast.returnsCodec().constant());
        }
        return CodeBlock.of("$T.typed($T.class, $T::$N)", UPCASTER, upcast.reads(), upcast.owner(), upcast.method());
    }

    /** {@code .withCodec(BankCodecs.DEPOSITED)}, or nothing for an event without a generated codec. */
    private static CodeBlock codec(RegistryModel model, EventModel event) {
        dev.eskit.processor.model.CodecRef codec = model.codecs().get(event.type().canonicalName());
        return codec == null ? CodeBlock.of("") : CodeBlock.of("\n        .withCodec($T.$N)", codec.file(),
                codec.constant());
    }

    /** {@code .withTags(e -> Tag.list("course", e.courseId(), ...))}, or nothing for an event without tags. */
    private static CodeBlock tags(RegistryModel model, EventModel event) {
        List<TagModel> tags = model.tags().getOrDefault(event.type().canonicalName(), List.of());
        if (tags.isEmpty()) {
            return CodeBlock.of("");
        }
        CodeBlock pairs = tags.stream().map(t -> CodeBlock.of("$S, e.$N()", t.prefix(), t.accessor()))
                .collect(CodeBlock.joining(", "));
        return CodeBlock.of("\n        .withTags(e -> $T.list($L))", TAG, pairs);
    }
}

package dev.eskit.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.CodecDefinitionModel;
import dev.eskit.processor.model.CodecRef;
import dev.eskit.processor.model.CodecType;
import dev.eskit.processor.model.CodecsModel;
import dev.eskit.processor.model.DeciderModel;
import dev.eskit.processor.model.RouteModel;
import dev.eskit.processor.read.CodecReader;
import dev.eskit.processor.write.CodecWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * Generated codecs: collects the events, decider states and commands of a round by package and writes one
 * {@code <Package>Codecs} file per package ({@code _2}, {@code _3}... for later rounds). An event whose type cannot be
 * generated fails the build ({@code ESKIT-CODEC-UNSUPPORTED}) unless it is marked {@code @DatabindCodec}; states and
 * commands without a generated codec are skipped silently (they keep {@code StateCodec.json}).
 */
final class CodecStep {

    private static final String SUPPORTED = "primitives and their boxes, String, BigDecimal, BigInteger, UUID, enums,"
            + " java.time (Instant, LocalDate, LocalTime, LocalDateTime, OffsetDateTime, ZonedDateTime, Duration,"
            + " Period), byte[], records, sealed types of records, and List, Set, Optional, arrays and Map with String"
            + " keys of these";

    private final EskitContext context;
    private final Steps steps;
    private final CodecReader reader;
    private final CodecWriter writer = new CodecWriter();
    private final Map<String, Integer> filesPerPackage = new HashMap<>();
    private final Map<String, Pending> pending = new TreeMap<>();
    /** Events, states and commands databind reads by reflection (no generated codec), for native-image metadata. */
    private final Map<String, TypeElement> reflective = new TreeMap<>();

    CodecStep(EskitContext context, Steps steps) {
        this.context = context;
        this.steps = steps;
        this.reader = new CodecReader(context);
    }

    /**
     * The codec constant of event {@code type}, or null when it opted out ({@code @DatabindCodec}) or cannot have
     * one (then reported).
     */
    CodecRef event(TypeElement type) {
        if (CodecReader.databind(type)) {
            reflective.put(type.getQualifiedName().toString(), type);
            return null;
        }
        CodecReader.Result result = reader.read(type.asType(), type);
        if (result.codec() == null) {
            for (CodecReader.Problem problem : result.problems()) {
                context.diagnostics().report(Message.CODEC_UNSUPPORTED, problem.element(), SUPPORTED,
                        problem.path(), type.getQualifiedName(), problem.type(), problem.why(),
                        type.getSimpleName());
            }
            return null;
        }
        return add(packageOf(type), type, result, null);
    }

    /**
     * Adds the state and the routed commands of {@code model}, the ones that can have a codec; returns the codecs of
     * the commands by qualified class name.
     */
    Map<String, CodecRef> decider(DeciderModel model) {
        String packageName = model.source().packageName();
        TypeElement state = element(model.state());
        if (state != null) {
            optional(packageName, state, true);
        }
        Map<String, CodecRef> commands = new HashMap<>();
        for (RouteModel route : model.routes()) {
            TypeElement command = element(route.command());
            if (command != null) {
                CodecRef ref = optional(packageName, command, false);
                if (ref != null) {
                    commands.put(command.getQualifiedName().toString(), ref);
                }
            }
        }
        if (model.routes().isEmpty()) {
            // A @DcbDecider has no routes: its commands are the records its @Decide methods take.
            for (dev.eskit.processor.model.DecideModel decide : model.decides()) {
                TypeElement command = element(decide.command());
                if (command != null && command.getKind() == javax.lang.model.element.ElementKind.RECORD) {
                    CodecRef ref = optional(packageName, command, false);
                    if (ref != null) {
                        commands.put(command.getQualifiedName().toString(), ref);
                    }
                }
            }
        }
        return commands;
    }

    private CodecRef optional(String packageName, TypeElement type, boolean state) {
        if (CodecReader.databind(type)) {
            reflective.put(type.getQualifiedName().toString(), type);
            return null;
        }
        CodecReader.Result result;
        try {
            result = reader.read(type.asType(), type);
        } catch (dev.eskit.processor.read.DeferException notYet) {
            return null;
        }
        CodecType codec = result.codec();
        if (codec == null) {
            // StateCodec.json (databind) reads and writes it.
            reflective.put(type.getQualifiedName().toString(), type);
            return null;
        }
        if (codec.kind() == CodecType.Kind.SCALAR || codec.kind() == CodecType.Kind.PRIMITIVE) {
            return null;
        }
        return add(packageName, type, result, state ? type.getQualifiedName() + "#" + hash(describe(codec, result)) : null);
    }

    private CodecRef add(String packageName, TypeElement type, CodecReader.Result result, String schema) {
        Pending file = pending.computeIfAbsent(packageName, this::newFile);
        String qualified = type.getQualifiedName().toString();
        Pending.Entry existing = file.byType.get(qualified);
        if (existing != null) {
            if (schema != null && existing.schema == null) {
                existing.schema = schema;
            }
            return new CodecRef(file.className, existing.constant);
        }
        String base = constant(ClassName.get(type));
        String constant = base;
        for (int i = 2; file.constants.containsKey(constant); i++) {
            constant = base + "_" + i;
        }
        Pending.Entry entry = new Pending.Entry(constant, result.codec(), schema);
        file.constants.put(constant, entry);
        file.byType.put(qualified, entry);
        result.definitions().forEach(d -> file.definitions.putIfAbsent(d.type().canonicalName(), d));
        file.origins.add(type);
        return new CodecRef(file.className, constant);
    }

    /**
     * The typed upcasters of {@code upcasters} with generated codecs for the old record each reads and the record it
     * returns. A record that cannot have one is reported ({@code ESKIT-UPCAST-CODEC}) unless it is marked
     * {@code @DatabindCodec}; an upcaster returning a databind tree ({@code ObjectNode}) chose databind and keeps it.
     * Records left to databind are noted for reflection metadata.
     */
    List<dev.eskit.processor.model.UpcastModel> typedUpcasters(List<dev.eskit.processor.model.UpcastModel> upcasters) {
        List<dev.eskit.processor.model.UpcastModel> result = new ArrayList<>();
        for (dev.eskit.processor.model.UpcastModel upcast : upcasters) {
            if (upcast.reads() != null && !upcast.streaming()
                    && upcast.origin() instanceof javax.lang.model.element.ExecutableElement method
                    && !method.getParameters().isEmpty()) {
                javax.lang.model.type.TypeMirror old = method.getParameters().get(0).asType();
                javax.lang.model.type.TypeMirror next = method.getReturnType();
                boolean tree = next.toString().equals("com.fasterxml.jackson.databind.node.ObjectNode");
                CodecRef reads = record(old, tree ? null : upcast, method.getParameters().get(0), "reads");
                CodecRef returns = tree ? null : record(next, upcast, method, "returns");
                if (reads != null && returns != null) {
                    result.add(upcast.withCodecs(reads, returns));
                    continue;
                }
                reflect(old);
                reflect(next);
            }
            result.add(upcast);
        }
        return result;
    }

    /**
     * The generated codec of record {@code type} (a typed upcaster's), or null when it cannot have one (yet). When
     * {@code upcast} is given, a record that cannot have one and is not marked {@code @DatabindCodec} is reported on
     * {@code on}.
     */
    private CodecRef record(javax.lang.model.type.TypeMirror type, dev.eskit.processor.model.UpcastModel upcast,
                            Element on, String role) {
        TypeElement element = type instanceof javax.lang.model.type.DeclaredType declared
                && declared.asElement() instanceof TypeElement e ? e : null;
        if (element != null && CodecReader.databind(element)) {
            return null;
        }
        String why = null;
        CodecReader.Result result = null;
        if (element == null) {
            why = "which is not a record";
        } else if (!((javax.lang.model.type.DeclaredType) type).getTypeArguments().isEmpty()
                || !element.getTypeParameters().isEmpty()) {
            why = "which is generic (one codec serves one shape)";
        } else {
            try {
                result = reader.read(element.asType(), element);
            } catch (dev.eskit.processor.read.DeferException notYet) {
                // Not generated yet: the event waits for the old shape's type (UpcastStep), so this is rare; databind.
                return null;
            }
            if (result.codec() == null) {
                CodecReader.Problem problem = result.problems().get(0);
                why = "whose property \"" + problem.path() + "\" has type " + problem.type() + ", which " + problem.why();
            } else if (result.codec().kind() == CodecType.Kind.SCALAR
                    || result.codec().kind() == CodecType.Kind.PRIMITIVE) {
                why = "which is not a record";
            }
        }
        if (why != null) {
            // An @Event returned as it is reports its own unsupported property (ESKIT-CODEC-UNSUPPORTED).
            boolean event = element != null && element.getAnnotationMirrors().stream().anyMatch(a -> a
                    .getAnnotationType().toString().equals("dev.eskit.annotations.Event"));
            if (upcast != null && !event) {
                String name = element == null ? type.toString() : element.getQualifiedName().toString();
                String simple = element == null ? type.toString() : element.getSimpleName().toString();
                context.diagnostics().report(Message.UPCAST_CODEC, on, upcast.describe() + "(" + simpleName(
                        ((javax.lang.model.element.ExecutableElement) upcast.origin()).getParameters().get(0).asType())
                        + ")", role, name, why, simple, SUPPORTED, upcast.event().simpleName(), upcast.from(),
                        upcast.method());
            }
            return null;
        }
        return add(packageOf(element), element, result, null);
    }

    private static String simpleName(javax.lang.model.type.TypeMirror type) {
        return type instanceof javax.lang.model.type.DeclaredType declared
                ? declared.asElement().getSimpleName().toString() : type.toString();
    }

    private void reflect(javax.lang.model.type.TypeMirror type) {
        if (type instanceof javax.lang.model.type.DeclaredType declared
                && declared.asElement() instanceof TypeElement element) {
            String name = element.getQualifiedName().toString();
            if (!name.startsWith("java.") && !name.startsWith("com.fasterxml.")) {
                reflective.put(name, element);
            }
        }
    }

    /**
     * The types jackson-databind reads by reflection (sorted by name): {@code @DatabindCodec} events, states and
     * commands, states and commands without a generated codec, and the records of typed upcasters.
     */
    Map<String, TypeElement> reflective() {
        return reflective;
    }

    /** Writes this round's files. */
    void flush() {
        for (Pending file : pending.values()) {
            List<CodecsModel.Root> roots = new ArrayList<>();
            file.constants.forEach((constant, entry) -> roots.add(new CodecsModel.Root(constant, entry.codec,
                    entry.schema)));
            steps.write(writer.write(new CodecsModel(file.className, roots, new ArrayList<>(file.definitions.values()),
                    file.origins)), file.origins.get(0));
        }
        pending.clear();
    }

    private Pending newFile(String packageName) {
        int count = filesPerPackage.merge(packageName, 1, Integer::sum);
        String registry = EventStep.registryName(packageName);
        String base = registry.substring(0, registry.length() - "EventTypes".length()) + "Codecs";
        return new Pending(ClassName.get(packageName, base + (count > 1 ? "_" + count : "")));
    }

    private TypeElement element(TypeName type) {
        return type instanceof ClassName name ? context.elements().getTypeElement(name.canonicalName()) : null;
    }

    private String packageOf(TypeElement type) {
        return context.elements().getPackageOf(type).getQualifiedName().toString();
    }

    /** {@code ACCOUNT_STATE} for {@code AccountState} and for {@code Account.State}. */
    static String constant(ClassName type) {
        String joined = String.join("", type.simpleNames());
        return joined.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("([A-Z])([A-Z][a-z])", "$1_$2")
                .toUpperCase(Locale.ROOT);
    }

    /** The shape a state's snapshot schema hashes: every property name, type and requiredness, recursively. */
    private static String describe(CodecType root, CodecReader.Result result) {
        Map<String, CodecDefinitionModel> definitions = new TreeMap<>();
        result.definitions().forEach(d -> definitions.put(d.type().canonicalName(), d));
        StringBuilder out = new StringBuilder(root.type().toString()).append('\n');
        definitions.forEach((name, d) -> {
            out.append(d.kind()).append(' ').append(name).append('{');
            d.fields().forEach(f -> out.append(f.json()).append(':').append(f.codec().type())
                    .append(f.required() ? "!" : "?").append(';'));
            d.subtypes().forEach(s -> out.append(s.id()).append('=').append(s.record()).append(';'));
            out.append("}\n");
        });
        return out.toString();
    }

    private static String hash(String description) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                hex.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf,
                        16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** One package's file of this round. */
    private static final class Pending {
        final ClassName className;
        final Map<String, Entry> constants = new TreeMap<>();
        final Map<String, Entry> byType = new HashMap<>();
        final Map<String, CodecDefinitionModel> definitions = new TreeMap<>();
        final List<Element> origins = new ArrayList<>();

        Pending(ClassName className) {
            this.className = className;
        }

        /** One root. */
        static final class Entry {
            final String constant;
            final CodecType codec;
            String schema;

            Entry(String constant, CodecType codec, String schema) {
                this.constant = constant;
                this.codec = codec;
                this.schema = schema;
            }
        }
    }
}

package dev.eskit.processor.read;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.model.CodecDefinitionModel;
import dev.eskit.processor.model.CodecType;
import dev.eskit.processor.model.CodecType.Kind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;

/**
 * Reads how a generated codec handles a type: for a root (an event, a state, a command) the {@link CodecType} and
 * the {@link CodecDefinitionModel} of every enum, record and sealed type it reaches, or the problems that keep it from
 * being generated.
 */
public final class CodecReader {

    /** The annotation that opts a type out of generated codecs. */
    public static final String DATABIND_CODEC = "dev.eskit.annotations.DatabindCodec";
    private static final String JSON_PROPERTY = "com.fasterxml.jackson.annotation.JsonProperty";
    private static final Map<String, String> SCALARS = Map.ofEntries(
            Map.entry("java.lang.String", "STRING"), Map.entry("java.lang.Boolean", "BOOLEAN"),
            Map.entry("java.lang.Integer", "INTEGER"), Map.entry("java.lang.Long", "LONG"),
            Map.entry("java.lang.Short", "SHORT"), Map.entry("java.lang.Byte", "BYTE"),
            Map.entry("java.lang.Double", "DOUBLE"), Map.entry("java.lang.Float", "FLOAT"),
            Map.entry("java.lang.Character", "CHARACTER"), Map.entry("java.math.BigDecimal", "BIG_DECIMAL"),
            Map.entry("java.math.BigInteger", "BIG_INTEGER"), Map.entry("java.util.UUID", "UUID_CODEC"),
            Map.entry("java.time.Instant", "INSTANT"), Map.entry("java.time.LocalDate", "LOCAL_DATE"),
            Map.entry("java.time.LocalTime", "LOCAL_TIME"), Map.entry("java.time.LocalDateTime", "LOCAL_DATE_TIME"),
            Map.entry("java.time.OffsetDateTime", "OFFSET_DATE_TIME"),
            Map.entry("java.time.ZonedDateTime", "ZONED_DATE_TIME"), Map.entry("java.time.Duration", "DURATION"),
            Map.entry("java.time.Period", "PERIOD"));
    private static final Map<String, Kind> CONTAINERS = Map.of("java.util.List", Kind.LIST,
            "java.util.Set", Kind.SET, "java.util.Map", Kind.MAP, "java.util.Optional", Kind.OPTIONAL);

    /**
     * A type a codec cannot be generated for.
     *
     * @param element the root's property (or the root type) to report on
     * @param path    the property path, such as {@code lines[].price}
     * @param type    the type as written
     * @param why     why it is not supported, completing "which ..."
     */
    public record Problem(Element element, String path, String type, String why) {
    }

    /**
     * What {@link #read} found.
     *
     * @param codec       the root's codec type; null when there are problems
     * @param definitions the nested codecs it needs
     * @param problems    what keeps it from being generated
     */
    public record Result(CodecType codec, List<CodecDefinitionModel> definitions, List<Problem> problems) {
    }

    private final EskitContext context;
    private final ValueTypes values;

    /** A reader in {@code context}. */
    public CodecReader(EskitContext context) {
        this.context = context;
        this.values = new ValueTypes(context);
    }

    /** Whether {@code type} carries {@code @DatabindCodec}. */
    public static boolean databind(Element type) {
        return annotation(type, DATABIND_CODEC) != null;
    }

    /** The codec of {@code type}, the type of {@code origin}. */
    public Result read(TypeMirror type, Element origin) {
        Work work = new Work();
        CodecType codec = work.type(type, "", origin, true);
        return new Result(work.problems.isEmpty() ? codec : null, List.copyOf(work.definitions.values()),
                List.copyOf(work.problems));
    }

    /** One root's walk. */
    private final class Work {
        final Map<String, CodecDefinitionModel> definitions = new TreeMap<>();
        final Set<String> visiting = new HashSet<>();
        final List<Problem> problems = new ArrayList<>();

        CodecType type(TypeMirror type, String path, Element on, boolean root) {
            switch (type.getKind()) {
                case BOOLEAN, BYTE, SHORT, INT, LONG, CHAR, FLOAT, DOUBLE -> {
                    String name = type.getKind().name().toLowerCase(java.util.Locale.ROOT);
                    return CodecType.of(Kind.PRIMITIVE, TypeName.get(type), name, null);
                }
                case ARRAY -> {
                    if (((ArrayType) type).getComponentType().getKind() == TypeKind.BYTE) {
                        return CodecType.of(Kind.SCALAR, ArrayTypeName.of(TypeName.BYTE), "BYTES", null);
                    }
                    TypeMirror component = ((ArrayType) type).getComponentType();
                    if (component.getKind().isPrimitive()) {
                        return problem(path, on, type, "is an array of primitives other than byte[] (use a List)");
                    }
                    CodecType element = type(component, path + "[]", on, false);
                    if (element == null) {
                        return null;
                    }
                    if (element.type() instanceof ParameterizedTypeName) {
                        return problem(path, on, type, "is an array of a generic type (use a List)");
                    }
                    return new CodecType(Kind.ARRAY, ArrayTypeName.of(element.type()), null, null, List.of(element));
                }
                case WILDCARD -> {
                    TypeMirror bound = ((WildcardType) type).getExtendsBound();
                    return bound == null ? problem(path, on, type, "is an unbounded wildcard")
                            : type(bound, path, on, false);
                }
                case DECLARED -> {
                    return declared((DeclaredType) type, path, on, root);
                }
                case ERROR -> throw new DeferException(type.toString());
                default -> {
                    return problem(path, on, type, "is a type variable or has no fixed shape");
                }
            }
        }

        private CodecType declared(DeclaredType type, String path, Element on, boolean root) {
            TypeElement element = (TypeElement) type.asElement();
            String qualified = element.getQualifiedName().toString();
            String scalar = SCALARS.get(qualified);
            if (scalar != null) {
                return CodecType.of(Kind.SCALAR, ClassName.get(element), scalar, null);
            }
            Kind container = CONTAINERS.get(qualified);
            if (container != null) {
                return container(container, type, path, on);
            }
            if (!root && databind(element)) {
                return problem(path, on, type, "is marked @DatabindCodec, so generated code cannot read it");
            }
            if (!element.getTypeParameters().isEmpty()) {
                return problem(path, on, type, "is generic (one codec serves one shape)");
            }
            ClassName name = ClassName.get(element);
            if (element.getKind() == ElementKind.ENUM) {
                definitions.putIfAbsent(qualified, new CodecDefinitionModel(name, Kind.ENUM, List.of(), List.of()));
                return CodecType.of(Kind.ENUM, name, null, name);
            }
            if (values.isValueType(element)) {
                record(element, type, path, on);
                return CodecType.of(Kind.RECORD, name, null, name);
            }
            List<TypeElement> leaves = sealedLeaves(element, path, on);
            if (leaves != null) {
                if (visiting.add(qualified)) {
                    List<CodecDefinitionModel.Subtype> subtypes = new ArrayList<>();
                    for (TypeElement leaf : leaves) {
                        record(leaf, (DeclaredType) leaf.asType(), path, on);
                        subtypes.add(new CodecDefinitionModel.Subtype(discriminator(leaf), ClassName.get(leaf)));
                    }
                    subtypes.sort(java.util.Comparator.comparing(CodecDefinitionModel.Subtype::id));
                    definitions.put(qualified, new CodecDefinitionModel(name, Kind.SEALED, List.of(), subtypes));
                }
                return CodecType.of(Kind.SEALED, name, null, name);
            }
            return problem(path, on, type, "is neither a record, an enum, a sealed type of records nor a JDK type"
                    + " eskit knows");
        }

        private CodecType container(Kind kind, DeclaredType type, String path, Element on) {
            List<? extends TypeMirror> arguments = type.getTypeArguments();
            if (arguments.isEmpty()) {
                return problem(path, on, type, "is a raw type (give its type arguments)");
            }
            if (kind == Kind.MAP && !isString(arguments.get(0))) {
                return problem(path, on, type, "has keys that are not String");
            }
            TypeMirror value = arguments.get(kind == Kind.MAP ? 1 : 0);
            CodecType argument = type(value, path + (kind == Kind.MAP ? "{}" : "[]"), on, false);
            if (argument == null) {
                return null;
            }
            if (argument.kind() == Kind.PRIMITIVE) {
                return problem(path, on, type, "has a primitive type argument");
            }
            ClassName raw = ClassName.get((TypeElement) type.asElement());
            TypeName javaType = kind == Kind.MAP
                    ? ParameterizedTypeName.get(raw, ClassName.get(String.class), argument.type())
                    : ParameterizedTypeName.get(raw, argument.type());
            return new CodecType(kind, javaType, null, null, List.of(argument));
        }

        private void record(TypeElement element, DeclaredType type, String path, Element on) {
            String qualified = element.getQualifiedName().toString();
            if (definitions.containsKey(qualified) || !visiting.add(qualified)) {
                return;
            }
            List<CodecDefinitionModel.Field> fields = new ArrayList<>();
            boolean rootLevel = path.isEmpty();
            for (ValueTypes.Property property : values.properties(element)) {
                TypeMirror declared = values.typeOf(type, property);
                Element reportOn = rootLevel ? at(property.element()) : on;
                String propertyPath = path.isEmpty() ? property.name() : path + "." + property.name();
                CodecType codec = type(declared, propertyPath, reportOn, false);
                if (codec == null) {
                    continue;
                }
                boolean nullable = nullable(property.element()) || nullable(property.accessor())
                        || declared.getAnnotationMirrors().stream().anyMatch(CodecReader::isNullable);
                fields.add(new CodecDefinitionModel.Field(jsonName(property), property.accessor().getSimpleName()
                        .toString(), declaredName(declared), codec,
                        codec.kind() != Kind.OPTIONAL && !nullable));
            }
            definitions.put(qualified, new CodecDefinitionModel(ClassName.get(element), Kind.RECORD, fields,
                    List.of(), computed(element, fields)));
        }

        /** The records under a sealed type (through nested sealed types); null when it is not sealed. */
        private List<TypeElement> sealedLeaves(TypeElement element, String path, Element on) {
            List<TypeElement> permitted = permitted(element);
            if (permitted == null) {
                return null;
            }
            List<TypeElement> leaves = new ArrayList<>();
            for (TypeElement sub : permitted) {
                if (values.isValueType(sub)) {
                    leaves.add(sub);
                } else if (permitted(sub) != null) {
                    List<TypeElement> nested = sealedLeaves(sub, path, on);
                    leaves.addAll(nested);
                } else {
                    problem(path, on, sub.asType(), "is a subtype of sealed " + element.getSimpleName()
                            + " but not a record");
                }
            }
            leaves.sort(java.util.Comparator.comparing(t -> t.getQualifiedName().toString()));
            return leaves;
        }

        private List<TypeElement> permitted(TypeElement element) {
            if (element.getModifiers().contains(Modifier.SEALED)) {
                return element.getPermittedSubclasses().stream()
                        .map(t -> (TypeElement) ((DeclaredType) t).asElement()).toList();
            }
            List<String> kotlin = KotlinMetadata.sealedSubclasses(element);
            if (kotlin == null) {
                return null;
            }
            List<TypeElement> types = new ArrayList<>();
            for (String name : kotlin) {
                TypeElement sub = context.elements().getTypeElement(name);
                if (sub == null) {
                    return null;
                }
                types.add(sub);
            }
            return types;
        }

        private CodecType problem(String path, Element on, TypeMirror type, String why) {
            problems.add(new Problem(on, path.isEmpty() ? "(the type itself)" : path, ShapeReader.name(type), why));
            return null;
        }
    }

    /** Jackson's default {@code Id.NAME}: the binary name after the package ({@code Shape$Circle}). */
    private String discriminator(TypeElement leaf) {
        String binary = context.elements().getBinaryName(leaf).toString();
        return binary.substring(binary.lastIndexOf('.') + 1);
    }

    /**
     * The getter-only properties databind writes besides the constructor's: {@code getTotal()} of a record or a
     * Kotlin class (as {@code total}; {@code isPaid()} as {@code paid} and, as jackson-module-kotlin names it,
     * {@code isPaid}). Stored data may have them, so generated readers skip them.
     */
    private static List<String> computed(TypeElement element, List<CodecDefinitionModel.Field> fields) {
        Set<String> taken = new HashSet<>();
        fields.forEach(f -> taken.add(f.json()));
        fields.forEach(f -> taken.add(f.accessor()));
        Set<String> computed = new java.util.TreeSet<>();
        for (ExecutableElement method : javax.lang.model.util.ElementFilter.methodsIn(element.getEnclosedElements())) {
            String name = method.getSimpleName().toString();
            if (!method.getModifiers().contains(Modifier.PUBLIC) || method.getModifiers().contains(Modifier.STATIC)
                    || !method.getParameters().isEmpty() || method.getReturnType().getKind() == TypeKind.VOID
                    || taken.contains(name)) {
                continue;
            }
            if (name.startsWith("get") && name.length() > 3 && Character.isUpperCase(name.charAt(3))) {
                computed.add(Character.toLowerCase(name.charAt(3)) + name.substring(4));
            } else if (name.startsWith("is") && name.length() > 2 && Character.isUpperCase(name.charAt(2))
                    && method.getReturnType().getKind() == TypeKind.BOOLEAN) {
                computed.add(Character.toLowerCase(name.charAt(2)) + name.substring(3));
                computed.add(name);
            }
        }
        computed.removeAll(taken);
        return List.copyOf(computed);
    }

    /** javac keeps no position for a record component; its private field is declared by the record header. */
    private static Element at(Element property) {
        if (property.getKind() != ElementKind.RECORD_COMPONENT) {
            return property;
        }
        for (Element member : property.getEnclosingElement().getEnclosedElements()) {
            if (member.getKind() == ElementKind.FIELD && member.getSimpleName().contentEquals(property.getSimpleName())) {
                return member;
            }
        }
        return property.getEnclosingElement();
    }

    private static boolean isString(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED && ((TypeElement) ((DeclaredType) type).asElement())
                .getQualifiedName().contentEquals("java.lang.String");
    }

    private static TypeName declaredName(TypeMirror type) {
        return TypeName.get(type).withoutAnnotations();
    }

    private static String jsonName(ValueTypes.Property property) {
        for (Element element : new Element[] {property.element(), property.accessor()}) {
            AnnotationMirror mirror = annotation(element, JSON_PROPERTY);
            if (mirror != null) {
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                        : mirror.getElementValues().entrySet()) {
                    if (entry.getKey().getSimpleName().contentEquals("value")
                            && !String.valueOf(entry.getValue().getValue()).isEmpty()) {
                        return String.valueOf(entry.getValue().getValue());
                    }
                }
            }
        }
        return property.name();
    }

    private static boolean nullable(Element element) {
        return element != null && element.getAnnotationMirrors().stream().anyMatch(CodecReader::isNullable);
    }

    private static boolean isNullable(AnnotationMirror mirror) {
        return mirror.getAnnotationType().asElement().getSimpleName().contentEquals("Nullable");
    }

    private static AnnotationMirror annotation(Element element, String qualified) {
        if (element == null) {
            return null;
        }
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().contentEquals(qualified)) {
                return mirror;
            }
        }
        return null;
    }
}

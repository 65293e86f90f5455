package dev.eskit.processor.read;

import com.palantir.javapoet.TypeName;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.model.StateCheckModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Proves a decider's state type deeply immutable, so that its generated decider says so
 * ({@code Decider.immutableStates()}) and command handlers cache its states by default.
 *
 * <p>A type is proven when it is a primitive; one of the JDK's immutable value types ({@link #JDK_VALUES}, and
 * {@code Optional}s of proven types); a record, enum or final class (a Kotlin class with only {@code val}s is one)
 * whose instance fields, its superclasses' included, are all final and of proven types; or a sealed type whose every
 * permitted subtype is proven. Anything else (a collection or other interface that is not sealed, an array, a class
 * that is neither final nor sealed, a type variable, another JDK type) is not, whatever it holds at run time: the proof
 * is about what the code cannot do, not about what it happens to do. A type met again while it is being proven (a
 * recursive record) counts as proven there.
 *
 * <p>A state type that is not proven may still be checked value by value at run time ({@link #checks}): when the only
 * thing missing is that its {@code List}s, {@code Set}s, {@code Collection}s or {@code Map}s (of proven elements) are
 * unmodifiable, reached through record components, Kotlin data class components and sealed interfaces, the generated
 * decider checks each state's collections against the JDK's unmodifiable ones ({@code dev.eskit.ImmutableValues}),
 * and copies the states that fail into new records (or data classes) holding new collections of the same classes.
 */
final class ImmutableTypes {

    /** JDK types whose instances cannot change: final (or, for the number classes, immutable by contract). */
    static final Set<String> JDK_VALUES = Set.of(
            "java.lang.String", "java.lang.Boolean", "java.lang.Byte", "java.lang.Short", "java.lang.Character",
            "java.lang.Integer", "java.lang.Long", "java.lang.Float", "java.lang.Double",
            "java.math.BigDecimal", "java.math.BigInteger",
            "java.util.UUID", "java.util.Currency", "java.util.Locale", "java.net.URI",
            "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble",
            "java.time.Instant", "java.time.LocalDate", "java.time.LocalTime", "java.time.LocalDateTime",
            "java.time.OffsetDateTime", "java.time.OffsetTime", "java.time.ZonedDateTime", "java.time.Duration",
            "java.time.Period", "java.time.Year", "java.time.YearMonth", "java.time.MonthDay", "java.time.ZoneId",
            "java.time.ZoneOffset", "java.time.DayOfWeek", "java.time.Month");

    private final EskitContext context;
    private final ReadSupport support;

    ImmutableTypes(EskitContext context, ReadSupport support) {
        this.context = context;
        this.support = support;
    }

    /**
     * Why values of {@code type} are not proven deeply immutable, as a sentence naming the part that is not (such as
     * "CartState.items is java.util.List&lt;String&gt;, an interface that is not sealed"); null when they are.
     */
    String problem(TypeMirror type) {
        return problem(type, simpleName(type), new HashSet<>());
    }

    private String problem(TypeMirror type, String path, Set<String> proving) {
        if (type.getKind().isPrimitive()) {
            return null;
        }
        if (type.getKind() == TypeKind.ARRAY) {
            return path + " is an array, whose elements can be replaced";
        }
        if (type.getKind() != TypeKind.DECLARED) {
            return path + " is " + type + ", which may be any type";
        }
        DeclaredType declared = (DeclaredType) type;
        TypeElement element = (TypeElement) declared.asElement();
        String name = element.getQualifiedName().toString();
        if (JDK_VALUES.contains(name)) {
            return null;
        }
        if (name.equals("java.util.Optional")) {
            List<? extends TypeMirror> arguments = declared.getTypeArguments();
            return arguments.size() == 1 ? problem(arguments.get(0), path + "'s value", proving)
                    : path + " is a raw Optional, whose value may be any type";
        }
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")) {
            return path + " is " + type + ", " + (element.getKind() == ElementKind.INTERFACE
                    ? "an interface that is not sealed (a collection can be changed in place)"
                    : "not a JDK type known to be immutable");
        }
        if (!proving.add(type.toString())) {
            return null;
        }
        if (ReadSupport.isSealed(element)) {
            String fields = fieldsProblem(declared, path, proving);
            if (fields != null) {
                return fields;
            }
            for (TypeElement subtype : support.permitted(element)) {
                String problem = problem(subtype.asType(), path + " (as " + subtype.getSimpleName() + ")", proving);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        if (element.getKind() == ElementKind.INTERFACE) {
            return path + " is " + type + ", an interface that is not sealed";
        }
        if (element.getKind() == ElementKind.CLASS && !element.getModifiers().contains(Modifier.FINAL)) {
            return path + " is " + type + ", a class that is neither final nor sealed (a subclass could add state)";
        }
        return fieldsProblem(declared, path, proving);
    }

    /** The first instance field of {@code type} or its superclasses that is not final or not proven; null if none. */
    private String fieldsProblem(DeclaredType type, String path, Set<String> proving) {
        TypeMirror current = type;
        while (current.getKind() == TypeKind.DECLARED) {
            TypeElement element = (TypeElement) ((DeclaredType) current).asElement();
            if (element.getQualifiedName().contentEquals("java.lang.Object")
                    || element.getQualifiedName().contentEquals("java.lang.Record")
                    || element.getQualifiedName().contentEquals("java.lang.Enum")) {
                return null;
            }
            if (current != type && element.getQualifiedName().toString().startsWith("java.")) {
                return path + " extends " + element.getQualifiedName() + ", whose fields are not known";
            }
            for (VariableElement field : ElementFilter.fieldsIn(element.getEnclosedElements())) {
                if (field.getModifiers().contains(Modifier.STATIC)) {
                    continue;
                }
                String fieldPath = path + "." + field.getSimpleName();
                if (!field.getModifiers().contains(Modifier.FINAL)) {
                    return fieldPath + " is not final";
                }
                TypeMirror fieldType = context.types().asMemberOf((DeclaredType) current, field);
                String problem = problem(fieldType, fieldPath, proving);
                if (problem != null) {
                    return problem;
                }
            }
            // The superclass as a member of this type, its type arguments substituted (an interface's is Object).
            List<? extends TypeMirror> supertypes = context.types().directSupertypes(current);
            if (supertypes.isEmpty()) {
                return null;
            }
            current = supertypes.get(0);
        }
        return null;
    }

    /** The collection interfaces a run-time check accepts when they hold proven elements. */
    private static final Set<String> CONTAINERS = Set.of("java.util.List", "java.util.Set", "java.util.Collection",
            "java.util.Map");

    /**
     * The run-time checks that tell immutable states of {@code type} apart, for a type {@link #problem} does not
     * prove; {@code null} when no check can (a changeable field, an array, a collection of unproven elements, an open
     * class, a type the generated decider in package {@code packageName} cannot name, a generic record).
     */
    StateCheckModel checks(TypeMirror type, String packageName) {
        Checker checker = new Checker(packageName);
        return switch (checker.verdict(type)) {
            // A state that is itself a list of checked records is not checked (yet).
            case CONTAINER -> new StateCheckModel(List.of(), true);
            case METHOD -> new StateCheckModel(checker.methods(), false);
            default -> null;
        };
    }

    private enum Verdict { PROVEN, CONTAINER, NESTED_CONTAINER, METHOD, UNPROVEN }

    /** Finds the checks of one state type; one check method per record or sealed type that needs one. */
    private final class Checker {
        private final String packageName;
        private final Map<String, Integer> index = new HashMap<>();
        private final List<TypeName> types = new ArrayList<>();
        private final List<List<StateCheckModel.Part>> parts = new ArrayList<>();
        private final List<List<String>> components = new ArrayList<>();
        // The element (or value) type of the container the last NESTED_CONTAINER verdict was about.
        private TypeMirror nestedElement;

        Checker(String packageName) {
            this.packageName = packageName;
        }

        List<StateCheckModel.Method> methods() {
            List<StateCheckModel.Method> methods = new ArrayList<>();
            for (int i = 0; i < types.size(); i++) {
                methods.add(new StateCheckModel.Method(types.get(i), parts.get(i), components.get(i)));
            }
            return methods;
        }

        Verdict verdict(TypeMirror type) {
            if (problem(type) == null) {
                return Verdict.PROVEN;
            }
            if (type.getKind() != TypeKind.DECLARED) {
                return Verdict.UNPROVEN;
            }
            DeclaredType declared = (DeclaredType) type;
            TypeElement element = (TypeElement) declared.asElement();
            String name = element.getQualifiedName().toString();
            if (CONTAINERS.contains(name)) {
                List<? extends TypeMirror> arguments = declared.getTypeArguments();
                if (arguments.isEmpty()) {
                    return Verdict.UNPROVEN;
                }
                // A List's elements or a Map's values (not a Set's elements or a Map's keys, whose hash codes would
                // change with their contents) may be types with checks of their own.
                boolean list = name.equals("java.util.List");
                boolean map = name.equals("java.util.Map");
                TypeMirror last = arguments.get(arguments.size() - 1);
                for (TypeMirror argument : arguments) {
                    if (problem(argument) != null && !((list || map) && argument == last)) {
                        return Verdict.UNPROVEN;
                    }
                }
                if (problem(last) == null) {
                    return Verdict.CONTAINER;
                }
                if (verdict(last) != Verdict.METHOD) {
                    return Verdict.UNPROVEN;
                }
                nestedElement = last;
                return Verdict.NESTED_CONTAINER;
            }
            boolean record = element.getKind() == ElementKind.RECORD;
            // A sealed interface, or a sealed abstract class holding nothing itself (Kotlin's sealed class of data
            // classes and objects): a value is checked and copied as the permitted subtype it is.
            boolean sealedType = ReadSupport.isSealed(element) && (element.getKind() == ElementKind.INTERFACE
                    || element.getKind() == ElementKind.CLASS && element.getModifiers().contains(Modifier.ABSTRACT)
                    && fieldless(element));
            List<Component> dataComponents = record || sealedType ? null : kotlinDataComponents(declared);
            if (!(record || sealedType || dataComponents != null) || !element.getTypeParameters().isEmpty()
                    || !nameable(element)) {
                return Verdict.UNPROVEN;
            }
            String key = type.toString();
            if (index.containsKey(key)) {
                return Verdict.METHOD;
            }
            int at = types.size();
            index.put(key, at);
            types.add(TypeName.get(type));
            List<StateCheckModel.Part> found = new ArrayList<>();
            parts.add(found);
            List<String> accessors = new ArrayList<>();
            components.add(accessors);
            if (!sealedType) {
                List<Component> components = record ? recordComponents(declared) : dataComponents;
                for (Component component : components) {
                    accessors.add(component.accessor());
                    Verdict verdict = verdict(component.type());
                    String call = component.accessor();
                    switch (verdict) {
                        case UNPROVEN -> {
                            return Verdict.UNPROVEN;
                        }
                        case CONTAINER -> found.add(new StateCheckModel.Part(StateCheckModel.Kind.CONTAINER, call,
                                null));
                        case NESTED_CONTAINER -> found.add(new StateCheckModel.Part(
                                ((TypeElement) context.types().asElement(component.type())).getQualifiedName()
                                        .contentEquals("java.util.Map")
                                        ? StateCheckModel.Kind.MAP_OF : StateCheckModel.Kind.LIST_OF,
                                call, TypeName.get(nestedElement)));
                        case METHOD -> found.add(new StateCheckModel.Part(StateCheckModel.Kind.NESTED, call, null));
                        default -> {
                        }
                    }
                }
            } else {
                for (TypeElement subtype : support.permitted(element)) {
                    Verdict verdict = verdict(subtype.asType());
                    if (verdict == Verdict.UNPROVEN || verdict == Verdict.CONTAINER
                            || verdict == Verdict.NESTED_CONTAINER) {
                        return Verdict.UNPROVEN;
                    }
                    if (verdict == Verdict.METHOD) {
                        found.add(new StateCheckModel.Part(StateCheckModel.Kind.SUBTYPE, null,
                                TypeName.get(subtype.asType())));
                    }
                }
            }
            return Verdict.METHOD;
        }

        /** A record's components: accessor names and types, in declaration order. */
        private List<Component> recordComponents(DeclaredType declared) {
            List<Component> components = new ArrayList<>();
            for (RecordComponentElement component : ((TypeElement) declared.asElement()).getRecordComponents()) {
                ExecutableType accessor = (ExecutableType) context.types().asMemberOf(declared,
                        component.getAccessor());
                components.add(new Component(component.getAccessor().getSimpleName().toString(),
                        accessor.getReturnType()));
            }
            return components;
        }

        /**
         * A Kotlin data class's properties as {@code component1()} to {@code componentN()} and their types, or
         * {@code null} when {@code declared} is not a final Kotlin data class (by its {@code @kotlin.Metadata})
         * whose instance fields are exactly its components, all final, in order, with a constructor the generated
         * decider can call taking them in that order (its primary constructor) and no superclass with fields (a
         * sealed class's subclass, say). Then a value can be read through its components (which a data class cannot
         * declare itself, so they return its fields) and built again through that constructor, as a record can.
         */
        private List<Component> kotlinDataComponents(DeclaredType declared) {
            TypeElement element = (TypeElement) declared.asElement();
            if (element.getKind() != ElementKind.CLASS || !element.getModifiers().contains(Modifier.FINAL)
                    || !KotlinMetadata.isDataClass(element)
                    || !fieldless((TypeElement) context.types().asElement(element.getSuperclass()))) {
                return null;
            }
            List<TypeMirror> fields = new ArrayList<>();
            for (VariableElement field : ElementFilter.fieldsIn(element.getEnclosedElements())) {
                if (field.getModifiers().contains(Modifier.STATIC)) {
                    continue;
                }
                if (!field.getModifiers().contains(Modifier.FINAL)) {
                    return null;
                }
                fields.add(context.types().asMemberOf(declared, field));
            }
            Map<String, TypeMirror> methods = new HashMap<>();
            for (var method : ElementFilter.methodsIn(element.getEnclosedElements())) {
                String name = method.getSimpleName().toString();
                if (name.startsWith("component") && method.getParameters().isEmpty()
                        && !method.getModifiers().contains(Modifier.STATIC)
                        && method.getModifiers().contains(Modifier.PUBLIC)) {
                    methods.put(name, ((ExecutableType) context.types().asMemberOf(declared, method))
                            .getReturnType());
                }
            }
            if (fields.isEmpty() || methods.size() != fields.size()) {
                return null;
            }
            List<Component> components = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) {
                TypeMirror type = methods.get("component" + (i + 1));
                if (type == null || !context.types().isSameType(type, fields.get(i))) {
                    return null;
                }
                components.add(new Component("component" + (i + 1), type));
            }
            for (var constructor : ElementFilter.constructorsIn(element.getEnclosedElements())) {
                boolean callable = constructor.getModifiers().contains(Modifier.PUBLIC)
                        || !constructor.getModifiers().contains(Modifier.PRIVATE)
                        && packageOf(element).equals(packageName);
                if (!callable || constructor.getParameters().size() != fields.size()) {
                    continue;
                }
                List<? extends TypeMirror> parameters =
                        ((ExecutableType) context.types().asMemberOf(declared, constructor)).getParameterTypes();
                boolean matches = true;
                for (int i = 0; i < fields.size() && matches; i++) {
                    matches = context.types().isSameType(parameters.get(i), fields.get(i));
                }
                if (matches) {
                    return components;
                }
            }
            return null;
        }

        /** Whether neither {@code type} nor any of its superclasses has an instance field. */
        private boolean fieldless(TypeElement type) {
            for (TypeElement current = type; current != null;
                 current = (TypeElement) context.types().asElement(current.getSuperclass())) {
                for (VariableElement field : ElementFilter.fieldsIn(current.getEnclosedElements())) {
                    if (!field.getModifiers().contains(Modifier.STATIC)) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Whether code in {@link #packageName} can name {@code element} (and its enclosing types). */
        private boolean nameable(TypeElement element) {
            for (Element current = element; current instanceof TypeElement; current = current.getEnclosingElement()) {
                Set<Modifier> modifiers = current.getModifiers();
                if (modifiers.contains(Modifier.PRIVATE)) {
                    return false;
                }
                if (!modifiers.contains(Modifier.PUBLIC) && !packageOf(current).equals(packageName)) {
                    return false;
                }
            }
            return true;
        }

        private String packageOf(Element element) {
            Element current = element;
            while (!(current instanceof PackageElement)) {
                current = current.getEnclosingElement();
            }
            return ((PackageElement) current).getQualifiedName().toString();
        }
    }

    /** One part of a record or Kotlin data class: its accessor's name and type. */
    private record Component(String accessor, TypeMirror type) {
    }

    private static String simpleName(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED
                ? ((DeclaredType) type).asElement().getSimpleName().toString() : type.toString();
    }
}

package dev.eskit.processor.read;

import dev.eskit.processor.EskitContext;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

    private static String simpleName(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED
                ? ((DeclaredType) type).asElement().getSimpleName().toString() : type.toString();
    }
}

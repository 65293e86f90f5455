package dev.eskit.processor.read;

import com.palantir.javapoet.ClassName;
import dev.eskit.annotations.Event;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.diag.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;

/** Helpers shared by the readers. */
final class ReadSupport {

    private final EskitContext context;

    ReadSupport(EskitContext context) {
        this.context = context;
    }

    /** The mirror of annotation {@code type} on {@code element}, or null. */
    static AnnotationMirror mirror(Element element, Class<?> type) {
        String name = type.getCanonicalName();
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement annotation = (TypeElement) mirror.getAnnotationType().asElement();
            if (annotation.getQualifiedName().contentEquals(name)) {
                return mirror;
            }
        }
        return null;
    }

    /** The explicitly written value of attribute {@code name}, or null. */
    static AnnotationValue value(AnnotationMirror mirror, String name) {
        if (mirror == null) {
            return null;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : mirror.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Throws {@link DeferException} when {@code type} or one of its type arguments does not exist yet. */
    static void requireResolved(TypeMirror type) {
        if (type == null) {
            return;
        }
        switch (type.getKind()) {
            case ERROR -> throw new DeferException(type.toString());
            case DECLARED -> ((DeclaredType) type).getTypeArguments().forEach(ReadSupport::requireResolved);
            case WILDCARD -> {
                requireResolved(((WildcardType) type).getExtendsBound());
                requireResolved(((WildcardType) type).getSuperBound());
            }
            case ARRAY -> requireResolved(((javax.lang.model.type.ArrayType) type).getComponentType());
            default -> {
            }
        }
    }

    /** Throws {@link DeferException} when a parameter, the result or a thrown type of {@code method} is missing. */
    static void requireResolved(ExecutableElement method) {
        requireResolved(method.getReturnType());
        method.getParameters().forEach(p -> requireResolved(p.asType()));
        method.getThrownTypes().forEach(ReadSupport::requireResolved);
    }

    /** The JavaPoet name of a class or interface. */
    static ClassName className(TypeElement type) {
        return ClassName.get(type);
    }

    /** The package of {@code element}. */
    String packageOf(Element element) {
        return context.elements().getPackageOf(element).getQualifiedName().toString();
    }

    /**
     * Reports {@link Message#NOT_ACCESSIBLE} when generated code in the package of {@code type} cannot name
     * {@code type}; returns whether it can.
     */
    boolean checkAccessible(TypeElement type, Element reportOn) {
        for (Element current = type; current instanceof TypeElement t; current = current.getEnclosingElement()) {
            String what = kindName(t) + " \"" + t.getQualifiedName() + "\"";
            if (t.getModifiers().contains(Modifier.PRIVATE)) {
                context.diagnostics().report(Message.NOT_ACCESSIBLE, reportOn, kindName(type),
                        type.getQualifiedName(), packageOf(type), current == type ? "private" : what + " is private",
                        "Remove \"private\" (package-private or public both work).");
                return false;
            }
            if (t.getNestingKind() == NestingKind.MEMBER && t.getKind() == ElementKind.CLASS
                    && !t.getModifiers().contains(Modifier.STATIC)) {
                context.diagnostics().report(Message.NOT_ACCESSIBLE, reportOn, kindName(type),
                        type.getQualifiedName(), packageOf(type), what + " is an inner (non-static) class",
                        "Make it a static nested class or a top-level class.");
                return false;
            }
            if (t.getNestingKind() == NestingKind.LOCAL || t.getNestingKind() == NestingKind.ANONYMOUS) {
                context.diagnostics().report(Message.NOT_ACCESSIBLE, reportOn, kindName(type),
                        type.getQualifiedName(), packageOf(type), what + " is a local class",
                        "Move it to a top-level or static nested class.");
                return false;
            }
        }
        return true;
    }

    /** Reports {@link Message#NOT_ACCESSIBLE} for a private handler method; returns whether it is callable. */
    boolean checkCallable(ExecutableElement method, String annotation) {
        if (method.getModifiers().contains(Modifier.PRIVATE)) {
            context.diagnostics().report(Message.NOT_ACCESSIBLE, method, "@" + annotation + " method",
                    method.getSimpleName(), packageOf(method), "private",
                    "Remove \"private\" (package-private or public both work).");
            return false;
        }
        return true;
    }

    /**
     * Whether {@code type} is a class or interface with the {@code sealed} modifier, or a Kotlin class whose metadata
     * says it is sealed (kapt's stubs drop the modifier; see {@link KotlinMetadata}).
     */
    static boolean isSealed(TypeElement type) {
        return type.getModifiers().contains(Modifier.SEALED) || KotlinMetadata.sealedSubclasses(type) != null;
    }

    /** The direct permitted subclasses of sealed {@code type}: Java's {@code permits}, or Kotlin's metadata. */
    List<TypeElement> permitted(TypeElement type) {
        List<TypeElement> permitted = new ArrayList<>();
        if (type.getModifiers().contains(Modifier.SEALED)) {
            for (TypeMirror mirror : type.getPermittedSubclasses()) {
                requireResolved(mirror);
                permitted.add((TypeElement) context.types().asElement(mirror));
            }
            return permitted;
        }
        List<String> names = KotlinMetadata.sealedSubclasses(type);
        for (String name : names == null ? List.<String>of() : names) {
            TypeElement subclass = context.elements().getTypeElement(name);
            if (subclass == null) {
                throw new DeferException(name);
            }
            permitted.add(subclass);
        }
        return permitted;
    }

    /** Whether {@code type} can be instantiated (a non-abstract class, record or enum). */
    static boolean isConcrete(TypeElement type) {
        return (type.getKind() == ElementKind.CLASS || type.getKind() == ElementKind.RECORD
                || type.getKind() == ElementKind.ENUM) && !type.getModifiers().contains(Modifier.ABSTRACT);
    }

    /**
     * The types a value of sealed {@code root} can have that need their own handler: concrete permitted classes, and
     * non-sealed abstract ones; sealed subtypes are expanded. Sorted by qualified name.
     */
    List<TypeElement> leaves(TypeElement root) {
        Set<TypeElement> leaves = new LinkedHashSet<>();
        Deque<TypeElement> todo = new ArrayDeque<>();
        todo.add(root);
        Set<TypeElement> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            TypeElement type = todo.pop();
            if (!seen.add(type)) {
                continue;
            }
            if (type != root && (isConcrete(type) || !isSealed(type))) {
                leaves.add(type);
            }
            if (isSealed(type)) {
                todo.addAll(permitted(type));
            }
        }
        List<TypeElement> sorted = new ArrayList<>(leaves);
        sorted.sort(Comparator.comparing(t -> t.getQualifiedName().toString()));
        return sorted;
    }

    /** {@code type} and all its supertypes, {@code type} first. */
    List<TypeElement> selfAndSupertypes(TypeElement type) {
        Set<TypeElement> all = new LinkedHashSet<>();
        Deque<TypeMirror> todo = new ArrayDeque<>();
        todo.add(type.asType());
        while (!todo.isEmpty()) {
            TypeMirror current = todo.pop();
            if (current.getKind() != TypeKind.DECLARED) {
                continue;
            }
            TypeElement element = (TypeElement) ((DeclaredType) current).asElement();
            if (all.add(element)) {
                todo.addAll(context.types().directSupertypes(current));
            }
        }
        return new ArrayList<>(all);
    }

    /**
     * The most specific sealed type every one of {@code types} is a subtype of; null when there is none or no single
     * most specific one.
     */
    TypeElement commonSealedSupertype(List<TypeElement> types) {
        if (types.isEmpty()) {
            return null;
        }
        List<TypeElement> candidates = new ArrayList<>();
        for (TypeElement candidate : selfAndSupertypes(types.get(0))) {
            if (!isSealed(candidate) || !candidate.getTypeParameters().isEmpty()) {
                continue;
            }
            boolean common = types.stream().allMatch(t -> isSubtype(t, candidate));
            if (common) {
                candidates.add(candidate);
            }
        }
        List<TypeElement> mostSpecific = candidates.stream()
                .filter(c -> candidates.stream().allMatch(other -> isSubtype(c, other)))
                .toList();
        return mostSpecific.size() == 1 ? mostSpecific.get(0) : null;
    }

    /** Whether {@code sub} is {@code sup} or a subtype of it (erasures). */
    boolean isSubtype(TypeElement sub, TypeElement sup) {
        return context.types().isSubtype(context.types().erasure(sub.asType()),
                context.types().erasure(sup.asType()));
    }

    /** Whether {@code sub} is {@code sup} or a subtype of it (erasures). */
    boolean isSubtype(TypeMirror sub, TypeMirror sup) {
        return context.types().isSubtype(context.types().erasure(sub), context.types().erasure(sup));
    }

    /** The class or interface of a declared type, or null for anything else. */
    TypeElement typeElement(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) type).asElement() : null;
    }

    /**
     * Orders types most specific first (a subtype before its supertypes), otherwise by qualified name, so that an
     * {@code instanceof} chain picks the most specific handler.
     */
    <T> List<T> mostSpecificFirst(List<T> items, java.util.function.Function<T, TypeElement> typeOf) {
        List<T> remaining = new ArrayList<>(items);
        remaining.sort(Comparator.comparing(i -> typeOf.apply(i).getQualifiedName().toString()));
        List<T> ordered = new ArrayList<>();
        while (!remaining.isEmpty()) {
            T next = remaining.stream()
                    .filter(candidate -> remaining.stream().noneMatch(other -> other != candidate
                            && typeOf.apply(other) != typeOf.apply(candidate)
                            && isSubtype(typeOf.apply(other), typeOf.apply(candidate))))
                    .findFirst()
                    .orElse(remaining.get(0));
            remaining.remove(next);
            ordered.add(next);
        }
        return ordered;
    }

    /** The wire name of an {@code @Event} type, or null when the type is not annotated {@code @Event}. */
    String wireName(TypeElement type) {
        AnnotationMirror event = mirror(type, Event.class);
        if (event == null) {
            return null;
        }
        AnnotationValue name = value(event, "name");
        String explicit = name == null ? "" : String.valueOf(name.getValue());
        return explicit.isEmpty() ? defaultWireName(packageOf(type), type.getSimpleName().toString()) : explicit;
    }

    /** The aliases (former wire names) of an {@code @Event} type, as written; empty when it has none. */
    List<String> aliases(TypeElement type) {
        AnnotationValue aliases = value(mirror(type, Event.class), "aliases");
        if (aliases == null || !(aliases.getValue() instanceof List<?> values)) {
            return List.of();
        }
        return values.stream().map(v -> String.valueOf(((AnnotationValue) v).getValue())).toList();
    }

    /** The same rule as {@code dev.eskit.codec.EventType.defaultName}. */
    static String defaultWireName(String packageName, String simpleName) {
        int dot = packageName.lastIndexOf('.');
        String last = dot >= 0 ? packageName.substring(dot + 1) : packageName;
        return last.isEmpty() ? simpleName : last + "." + simpleName;
    }

    /** Methods declared directly in {@code type}, in source order. */
    static List<ExecutableElement> methods(TypeElement type) {
        return ElementFilter.methodsIn(type.getEnclosedElements());
    }

    /** Describes a method for messages: {@code name(Type, Type)}. */
    static String describe(ExecutableElement method) {
        return method.getSimpleName() + method.getParameters().stream()
                .map(p -> simple(p.asType()))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** A type as users write it, without packages. */
    static String simple(TypeMirror type) {
        return type.toString().replaceAll("\\b[a-z][a-z0-9_]*\\.", "");
    }

    /** {@code "an interface"}, {@code "a class"}. */
    static String article(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    /** "class", "interface", ... */
    static String kindName(TypeElement type) {
        return switch (type.getKind()) {
            case INTERFACE -> "interface";
            case ENUM -> "enum";
            case RECORD -> "record";
            case ANNOTATION_TYPE -> "annotation type";
            default -> "class";
        };
    }

    /** Reports {@link Message#NOT_ACCESSIBLE}-free checked exceptions; returns the checked exceptions thrown. */
    List<TypeMirror> checkedExceptions(ExecutableElement method) {
        TypeMirror runtime = context.elements().getTypeElement("java.lang.RuntimeException").asType();
        TypeMirror error = context.elements().getTypeElement("java.lang.Error").asType();
        return method.getThrownTypes().stream()
                .filter(t -> !context.types().isSubtype(t, runtime) && !context.types().isSubtype(t, error))
                .map(t -> (TypeMirror) t)
                .toList();
    }
}

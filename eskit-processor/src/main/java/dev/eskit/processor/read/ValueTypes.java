package dev.eskit.processor.read;

import dev.eskit.processor.EskitContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * Value types, the shapes events (and the old shapes of typed upcasters) may have: Java records, and Kotlin
 * <em>property classes</em>.
 *
 * <p>A class is Kotlin when it carries {@code @kotlin.Metadata}, which kotlinc writes on every class and kapt keeps on
 * the Java stubs it shows processors. A Kotlin property class is a final, non-abstract class (not an interface, enum
 * or {@code object}) with a public <em>property constructor</em>: a public constructor each of whose parameters has
 * a public, non-static, no-argument getter that returns the parameter's type (erasures compared) and is named as
 * Kotlin names property getters ({@code amount} → {@code getAmount()}, {@code isOpen} → {@code isOpen()}). Among
 * several such constructors the one with the most parameters is it; for a {@code data class} (or any class whose
 * primary constructor declares {@code val}s) that is the primary constructor. Its parameters, in order, are the
 * properties: the shape of the event, the JSON that the codec reads back through the constructor.
 */
final class ValueTypes {

    /** The annotation kotlinc puts on every class it compiles. */
    static final String KOTLIN_METADATA = "kotlin.Metadata";

    /**
     * One property of a value type.
     *
     * @param name      the component or constructor parameter name
     * @param accessor  the accessor method ({@code amount()} of a record, {@code getAmount()} of a Kotlin class)
     * @param element   the record component or constructor parameter
     */
    record Property(String name, ExecutableElement accessor, Element element) {
    }

    private final EskitContext context;

    ValueTypes(EskitContext context) {
        this.context = context;
    }

    /** Whether kotlinc compiled {@code type} (it carries {@code @kotlin.Metadata}). */
    static boolean isKotlin(TypeElement type) {
        for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(KOTLIN_METADATA)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code type} is a record or a Kotlin property class. */
    boolean isValueType(TypeElement type) {
        return type.getKind() == ElementKind.RECORD || (isKotlin(type) && kotlinProblem(type) == null);
    }

    /**
     * The properties of a record or Kotlin property class, in declaration order; null for any other type.
     */
    List<Property> properties(TypeElement type) {
        if (type.getKind() == ElementKind.RECORD) {
            List<Property> properties = new ArrayList<>();
            for (RecordComponentElement component : type.getRecordComponents()) {
                properties.add(new Property(component.getSimpleName().toString(), component.getAccessor(),
                        component));
            }
            return properties;
        }
        if (!isKotlin(type) || kotlinProblem(type) != null) {
            return null;
        }
        ExecutableElement constructor = propertyConstructor(type);
        List<Property> properties = new ArrayList<>();
        for (VariableElement parameter : constructor.getParameters()) {
            properties.add(new Property(parameter.getSimpleName().toString(), getter(type, parameter), parameter));
        }
        return properties;
    }

    /** The type of {@code property} as a member of {@code owner} (type arguments substituted). */
    TypeMirror typeOf(DeclaredType owner, Property property) {
        if (property.accessor() != null) {
            return ((ExecutableType) context.types().asMemberOf(owner, property.accessor())).getReturnType();
        }
        return property.element().asType();
    }

    /**
     * What keeps a Kotlin class from being a property class, as "is ..." / "has ..." text for a message; null when
     * it is one.
     */
    String kotlinProblem(TypeElement type) {
        if (type.getKind() != ElementKind.CLASS) {
            return "is " + ReadSupport.article(ReadSupport.kindName(type));
        }
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            return "is abstract (or sealed)";
        }
        if (!type.getModifiers().contains(Modifier.FINAL)) {
            return "is open";
        }
        if (propertyConstructor(type) == null) {
            boolean anyPublic = ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                    .anyMatch(c -> c.getModifiers().contains(Modifier.PUBLIC));
            return anyPublic ? "has no public constructor whose parameters are all properties (val or var)"
                    : "has no public constructor (an object, or a private constructor)";
        }
        return null;
    }

    /** The public constructor whose parameters are all properties, the one with most parameters; null if none. */
    ExecutableElement propertyConstructor(TypeElement type) {
        ExecutableElement best = null;
        for (ExecutableElement constructor : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            if (!constructor.getModifiers().contains(Modifier.PUBLIC)) {
                continue;
            }
            boolean all = constructor.getParameters().stream().allMatch(p -> getter(type, p) != null);
            if (all && (best == null || constructor.getParameters().size() > best.getParameters().size())) {
                best = constructor;
            }
        }
        return best;
    }

    /** The Kotlin getter of the property that {@code parameter} declares, or null. */
    ExecutableElement getter(TypeElement type, VariableElement parameter) {
        String name = getterName(parameter.getSimpleName().toString());
        TypeMirror expected = context.types().erasure(parameter.asType());
        for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
            if (method.getSimpleName().contentEquals(name) && method.getParameters().isEmpty()
                    && method.getModifiers().contains(Modifier.PUBLIC)
                    && !method.getModifiers().contains(Modifier.STATIC)
                    && method.getReturnType().getKind() != TypeKind.VOID
                    && context.types().isSameType(context.types().erasure(method.getReturnType()), expected)) {
                return method;
            }
        }
        return null;
    }

    /** Kotlin's getter name for a property: {@code getAmount} for {@code amount}, {@code isOpen} for {@code isOpen}. */
    static String getterName(String property) {
        if (property.length() > 2 && property.startsWith("is") && !Character.isLowerCase(property.charAt(2))) {
            return property;
        }
        return "get" + property.substring(0, 1).toUpperCase(Locale.ROOT) + property.substring(1);
    }
}

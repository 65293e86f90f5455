package dev.eskit.processor.read;

import dev.eskit.processor.EskitContext;
import dev.eskit.processor.model.EventModel;
import dev.eskit.processor.model.EventShape;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;

/**
 * Reads the shape of an {@code @Event} record (or Kotlin property class, see {@link ValueTypes}) for the schema
 * lock: one entry per component (constructor property), recursively through nested records and Kotlin property
 * classes, arrays and type arguments. Paths: {@code amount.cents} for a component of a nested record,
 * {@code lines[]} for the elements of an array or of a one-argument generic type ({@code List}, {@code Set},
 * {@code Optional}), {@code totals<1>} for the second type argument of a generic type with several
 * ({@code Map}). Types are written with qualified names; an enum is written {@code enum a.b.Currency {EUR, USD}}
 * (constants sorted). A record that contains itself is listed but not expanded again.
 */
public final class ShapeReader {

    private final ValueTypes values;

    /** A reader in {@code context}. */
    public ShapeReader(EskitContext context) {
        this.values = new ValueTypes(context);
    }

    /** The shape of {@code type}, the record of {@code model}. */
    public EventShape read(EventModel model, TypeElement type) {
        return read(model.wireName(), model.version(), model.type().canonicalName(), type);
    }

    /** The shape of record {@code type} (a command) under {@code wireName} and {@code version}. */
    public EventShape read(String wireName, int version, String className, TypeElement type) {
        SortedMap<String, String> components = new TreeMap<>();
        Set<TypeElement> path = new HashSet<>();
        path.add(type);
        components("", (DeclaredType) type.asType(), path, components);
        return new EventShape(wireName, version, className, components);
    }

    private void components(String prefix, DeclaredType type, Set<TypeElement> path, SortedMap<String, String> out) {
        TypeElement element = (TypeElement) type.asElement();
        for (ValueTypes.Property property : values.properties(element)) {
            TypeMirror componentType = values.typeOf(type, property);
            String name = prefix + property.name();
            out.put(name, line(componentType));
            expand(name, componentType, path, out);
        }
    }

    private void expand(String name, TypeMirror type, Set<TypeElement> path, SortedMap<String, String> out) {
        switch (type.getKind()) {
            case ARRAY -> element(name + "[]", ((ArrayType) type).getComponentType(), path, out);
            case WILDCARD -> {
                WildcardType wildcard = (WildcardType) type;
                if (wildcard.getExtendsBound() != null) {
                    expand(name, wildcard.getExtendsBound(), path, out);
                }
            }
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                TypeElement element = (TypeElement) declared.asElement();
                if (values.isValueType(element) && path.add(element)) {
                    components(name + ".", declared, path, out);
                    path.remove(element);
                }
                List<? extends TypeMirror> arguments = declared.getTypeArguments();
                for (int i = 0; i < arguments.size(); i++) {
                    element(arguments.size() == 1 ? name + "[]" : name + "<" + i + ">", arguments.get(i), path,
                            out);
                }
            }
            default -> {
            }
        }
    }

    /** The line of an array element or type argument, when it has a shape of its own (a record or an enum inside). */
    private void element(String name, TypeMirror type, Set<TypeElement> path, SortedMap<String, String> out) {
        TypeMirror bound = type.getKind() == TypeKind.WILDCARD && ((WildcardType) type).getExtendsBound() != null
                ? ((WildcardType) type).getExtendsBound() : type;
        if (!hasShape(bound, new HashSet<>())) {
            return;
        }
        out.put(name, line(bound));
        expand(name, bound, path, out);
    }

    private boolean hasShape(TypeMirror type, Set<TypeElement> seen) {
        return switch (type.getKind()) {
            case ARRAY -> hasShape(((ArrayType) type).getComponentType(), seen);
            case WILDCARD -> ((WildcardType) type).getExtendsBound() != null
                    && hasShape(((WildcardType) type).getExtendsBound(), seen);
            case DECLARED -> {
                TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
                if (values.isValueType(element) || element.getKind() == ElementKind.ENUM) {
                    yield true;
                }
                yield seen.add(element) && ((DeclaredType) type).getTypeArguments().stream()
                        .anyMatch(t -> hasShape(t, seen));
            }
            default -> false;
        };
    }

    /** The type as the lock writes it: enums with their constants. */
    private String line(TypeMirror type) {
        if (type.getKind() == TypeKind.DECLARED) {
            TypeElement element = (TypeElement) ((DeclaredType) type).asElement();
            if (element.getKind() == ElementKind.ENUM) {
                String constants = ElementFilter.fieldsIn(element.getEnclosedElements()).stream()
                        .filter(f -> f.getKind() == ElementKind.ENUM_CONSTANT)
                        .map(f -> f.getSimpleName().toString())
                        .sorted()
                        .collect(Collectors.joining(", "));
                return "enum " + element.getQualifiedName() + " {" + constants + "}";
            }
        }
        return name(type);
    }

    /** A type with qualified names and no type annotations. */
    static String name(TypeMirror type) {
        return switch (type.getKind()) {
            case ARRAY -> name(((ArrayType) type).getComponentType()) + "[]";
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                String base = ((TypeElement) declared.asElement()).getQualifiedName().toString();
                yield declared.getTypeArguments().isEmpty() ? base : base + declared.getTypeArguments().stream()
                        .map(ShapeReader::name).collect(Collectors.joining(", ", "<", ">"));
            }
            case WILDCARD -> {
                WildcardType wildcard = (WildcardType) type;
                if (wildcard.getExtendsBound() != null) {
                    yield "? extends " + name(wildcard.getExtendsBound());
                }
                yield wildcard.getSuperBound() != null ? "? super " + name(wildcard.getSuperBound()) : "?";
            }
            case BOOLEAN, BYTE, SHORT, INT, LONG, CHAR, FLOAT, DOUBLE -> type.getKind().name()
                    .toLowerCase(java.util.Locale.ROOT);
            default -> type.toString();
        };
    }
}

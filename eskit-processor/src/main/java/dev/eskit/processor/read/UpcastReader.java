package dev.eskit.processor.read;

import com.palantir.javapoet.ClassName;
import dev.eskit.annotations.Event;
import dev.eskit.annotations.Upcast;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.diag.Diagnostics;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.UpcastModel;
import java.util.Collection;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Reads one {@code @Upcast} method into an {@link UpcastModel}, reporting what is wrong with its signature. Whether
 * the chain of an event is complete is checked once all its upcasters are read (see {@code UpcastStep}).
 */
public final class UpcastReader {

    /** The JSON tree type of the JSON form. */
    public static final String OBJECT_NODE = "com.fasterxml.jackson.databind.node.ObjectNode";
    /** The tree type of the streaming form (jackson-core only). */
    public static final String JSON_OBJECT = "dev.eskit.codec.JsonObject";

    private final EskitContext context;
    private final Diagnostics diagnostics;
    private final ReadSupport support;
    private final ValueTypes values;

    /** A reader in {@code context}. */
    public UpcastReader(EskitContext context) {
        this.context = context;
        this.diagnostics = context.diagnostics();
        this.support = new ReadSupport(context);
        this.values = new ValueTypes(context);
    }

    /**
     * The event type {@code method} upcasts, or null when {@code event} is not a declared type.
     *
     * @throws DeferException when the type does not exist yet
     */
    public TypeElement event(ExecutableElement method) {
        AnnotationValue event = ReadSupport.value(ReadSupport.mirror(method, Upcast.class), "event");
        if (event == null || !(event.getValue() instanceof TypeMirror type)) {
            return null;
        }
        ReadSupport.requireResolved(type);
        return support.typeElement(type);
    }

    /**
     * The model of {@code method}, or null when it names no {@code @Event} record (reported). A model whose signature
     * has errors (reported) comes back with {@code valid} false.
     *
     * @param knownEvents simple names of the event types seen so far, for "Did you mean" hints
     * @throws DeferException when it refers to a type that does not exist yet
     */
    public UpcastModel read(ExecutableElement method, Collection<String> knownEvents) {
        AnnotationMirror annotation = ReadSupport.mirror(method, Upcast.class);
        AnnotationValue eventValue = ReadSupport.value(annotation, "event");
        TypeElement event = event(method);
        ReadSupport.requireResolved(method);
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        String where = owner.getSimpleName() + "." + ReadSupport.describe(method);
        if (event == null || ReadSupport.mirror(event, Event.class) == null) {
            String name = event == null ? String.valueOf(eventValue == null ? "?" : eventValue.getValue())
                    : event.getSimpleName().toString();
            diagnostics.report(Message.UPCAST_NOT_EVENT, method, annotation, eventValue, where, name,
                    "which is not annotated @Event",
                    "Name the event record in @Upcast(event = ...), or annotate \"" + name + "\" with @Event."
                            + Diagnostics.didYouMean(name, knownEvents));
            return null;
        }
        int from = (Integer) ReadSupport.value(annotation, "from").getValue();
        int before = diagnostics.errorCount();
        String eventName = event.getSimpleName().toString();
        String problem = signatureProblem(method, event, from);
        ClassName reads = null;
        if (problem != null) {
            diagnostics.report(Message.UPCAST_SIGNATURE, method, where, problem, eventName, from,
                    method.getSimpleName());
        } else {
            TypeMirror parameter = method.getParameters().get(0).asType();
            if (isJsonObject(parameter)) {
                reads = ClassName.get("dev.eskit.codec", "JsonObject");
            } else if (!isObjectNode(parameter)) {
                TypeElement old = support.typeElement(parameter);
                reads = ClassName.get(old);
                checkReachable(old, method, event);
            }
        }
        support.checkCallable(method, "Upcast");
        checkReachable(owner, method, event);
        if (!method.getModifiers().contains(Modifier.PUBLIC) && !method.getModifiers().contains(Modifier.PRIVATE)
                && !support.packageOf(owner).equals(support.packageOf(event))) {
            diagnostics.report(Message.NOT_ACCESSIBLE, method, "@Upcast method", method.getSimpleName(),
                    support.packageOf(event), "not public and in package \"" + support.packageOf(owner) + "\"",
                    "Make it public, or move it to package \"" + support.packageOf(event) + "\".");
        }
        return new UpcastModel(ClassName.get(event), from, ClassName.get(owner),
                method.getSimpleName().toString(), reads, diagnostics.errorCount() == before, method);
    }

    /** What is wrong with the signature, or null. */
    private String signatureProblem(ExecutableElement method, TypeElement event, int from) {
        if (!method.getModifiers().contains(Modifier.STATIC)) {
            return "is not static";
        }
        if (method.getParameters().size() != 1) {
            return "takes " + method.getParameters().size() + " parameters";
        }
        if (!method.getTypeParameters().isEmpty()) {
            return "declares type parameters";
        }
        List<TypeMirror> checked = support.checkedExceptions(method);
        if (!checked.isEmpty()) {
            return "declares checked exceptions " + checked;
        }
        TypeMirror parameter = method.getParameters().get(0).asType();
        if (isJsonObject(parameter) != isJsonObject(method.getReturnType())) {
            return "mixes JsonObject with another type; the streaming form is JsonObject m(JsonObject)";
        }
        if (isJsonObject(parameter)) {
            return null;
        }
        if (!isObjectNode(parameter)) {
            TypeElement old = support.typeElement(parameter);
            if (old == null || !values.isValueType(old) || !old.getTypeParameters().isEmpty()) {
                return "takes \"" + ReadSupport.simple(parameter) + "\", which is neither ObjectNode nor a"
                        + " non-generic record";
            }
            if (old.equals(event)) {
                return "takes \"" + old.getSimpleName() + "\", the current shape of the event, but reads stored"
                        + " version " + from + "; keep the old shape as its own record (such as \"" + old.getSimpleName()
                        + "V" + from + "\")";
            }
        }
        TypeMirror result = method.getReturnType();
        if (!isObjectNode(result)) {
            TypeElement next = support.typeElement(result);
            if (result.getKind() != TypeKind.DECLARED || next == null || !values.isValueType(next)) {
                return "returns \"" + ReadSupport.simple(result) + "\", which is neither ObjectNode nor a record";
            }
            int version = versionOf(event);
            if (next.equals(event) && from + 1 < version) {
                return "returns \"" + next.getSimpleName() + "\", the current version " + version + ", but from = "
                        + from + " produces version " + (from + 1) + "; return ObjectNode or a record kept for"
                        + " version " + (from + 1);
            }
        }
        return null;
    }

    /** Reports {@code NOT_ACCESSIBLE} when the registry in the event's package cannot name {@code type}. */
    private void checkReachable(TypeElement type, ExecutableElement method, TypeElement event) {
        if (!support.checkAccessible(type, method)) {
            return;
        }
        if (support.packageOf(type).equals(support.packageOf(event))) {
            return;
        }
        for (javax.lang.model.element.Element current = type; current instanceof TypeElement t;
             current = current.getEnclosingElement()) {
            if (!t.getModifiers().contains(Modifier.PUBLIC)) {
                diagnostics.report(Message.NOT_ACCESSIBLE, method, ReadSupport.kindName(type),
                        type.getQualifiedName(), support.packageOf(event),
                        "not public and in package \"" + support.packageOf(type) + "\"",
                        "Make it public, or move it to package \"" + support.packageOf(event) + "\".");
                return;
            }
        }
    }

    /** The declared {@code @Event(version)} of {@code event}. */
    int versionOf(TypeElement event) {
        AnnotationValue version = ReadSupport.value(ReadSupport.mirror(event, Event.class), "version");
        return version == null ? 1 : (Integer) version.getValue();
    }

    private static boolean isJsonObject(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED && type.toString().equals(JSON_OBJECT);
    }

    private static boolean isObjectNode(TypeMirror type) {
        return type.getKind() == TypeKind.DECLARED && type.toString().equals(OBJECT_NODE);
    }
}

package dev.eskit.processor.read;

import com.palantir.javapoet.ClassName;
import dev.eskit.annotations.Handle;
import dev.eskit.annotations.Projection;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.diag.Diagnostics;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.Call;
import dev.eskit.processor.model.HandleModel;
import dev.eskit.processor.model.ProjectionModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;

/** Reads one {@code @Projection} class into a {@link ProjectionModel}, reporting every problem it has. */
public final class ProjectionReader {

    private record Handler(ExecutableElement method, TypeElement event, String wireName, List<String> aliases,
                           boolean withStored) {
    }

    private final EskitContext context;
    private final Diagnostics diagnostics;
    private final ReadSupport support;

    /** A reader in {@code context}. */
    public ProjectionReader(EskitContext context) {
        this.context = context;
        this.diagnostics = context.diagnostics();
        this.support = new ReadSupport(context);
    }

    /**
     * The model of {@code type}, or null when it has errors (which are reported).
     *
     * @param knownEvents simple names of the event types seen so far, for "Did you mean" hints
     * @throws DeferException when it refers to a type that does not exist yet
     */
    public ProjectionModel read(TypeElement type, Collection<String> knownEvents) {
        return read(type, knownEvents, Map.of());
    }

    /**
     * The model of {@code type}, or null when it has errors (which are reported).
     *
     * @param knownEvents simple names of the event types seen so far, for "Did you mean" hints
     * @param commands    the {@code @Decide} method of each command seen so far, by qualified name, so that a
     *                    command handled by mistake is named as one
     * @throws DeferException when it refers to a type that does not exist yet
     */
    public ProjectionModel read(TypeElement type, Collection<String> knownEvents,
                                Map<String, ExecutableElement> commands) {
        int before = diagnostics.errorCount();
        AnnotationMirror annotation = ReadSupport.mirror(type, Projection.class);
        List<ExecutableElement> methods = ReadSupport.methods(type).stream()
                .filter(m -> ReadSupport.mirror(m, Handle.class) != null)
                .toList();
        methods.forEach(ReadSupport::requireResolved);
        support.checkAccessible(type, type);
        AnnotationValue nameValue = ReadSupport.value(annotation, "name");
        String name = nameValue == null ? "" : String.valueOf(nameValue.getValue());
        if (name.length() > 256 || name.indexOf('\0') >= 0 || !name.equals(name.strip())) {
            String suggestion = type.getSimpleName().toString().toLowerCase(java.util.Locale.ROOT);
            diagnostics.report(Message.PROJECTION_NAME_INVALID, type, annotation, nameValue, type.getQualifiedName(),
                    name.replace("\0", "\\0"), suggestion);
        }
        if (name.isBlank()) {
            name = type.getSimpleName().toString();
        }

        List<Handler> handlers = new ArrayList<>();
        for (ExecutableElement method : methods) {
            Handler handler = handler(method, knownEvents, commands);
            if (handler != null) {
                handlers.add(handler);
            }
        }
        Map<String, Handler> first = new LinkedHashMap<>();
        for (Handler handler : handlers) {
            Handler previous = first.putIfAbsent(handler.event().getQualifiedName().toString(), handler);
            if (previous != null) {
                diagnostics.report(Message.HANDLER_DUPLICATE, handler.method(), "Handle",
                        handler.event().getSimpleName(), ReadSupport.describe(previous.method()),
                        ReadSupport.describe(handler.method()));
            }
        }
        if (diagnostics.errorCount() != before) {
            return null;
        }
        ClassName source = ReadSupport.className(type);
        List<HandleModel> handles = support.mostSpecificFirst(handlers, Handler::event).stream()
                .map(h -> new HandleModel(ClassName.get(h.event()), h.wireName(), h.aliases(),
                        new Call(h.method().getSimpleName().toString(),
                                h.method().getModifiers().contains(Modifier.STATIC)), h.withStored()))
                .toList();
        boolean needsTarget = methods.stream().anyMatch(m -> !m.getModifiers().contains(Modifier.STATIC));
        return new ProjectionModel(source, ClassName.get(source.packageName(),
                DeciderReader.generatedBaseName(source) + "Handlers"), name, handles, needsTarget, type);
    }

    private Handler handler(ExecutableElement method, Collection<String> knownEvents,
                            Map<String, ExecutableElement> commands) {
        if (!support.checkCallable(method, "Handle")) {
            return null;
        }
        List<? extends VariableElement> parameters = method.getParameters();
        String found = null;
        boolean withStored = parameters.size() == 2;
        TypeElement event = parameters.isEmpty() ? null : support.typeElement(parameters.get(0).asType());
        if (parameters.isEmpty() || parameters.size() > 2) {
            found = "takes " + parameters.size() + " parameters";
        } else if (event == null) {
            found = "takes \"" + ReadSupport.simple(parameters.get(0).asType())
                    + "\", which is not a record";
        } else if (withStored && !storedEventOf(parameters.get(1).asType(), event)) {
            found = "takes \"" + ReadSupport.simple(parameters.get(1).asType()) + "\" as its second parameter"
                    + " instead of \"StoredEvent<" + event.getSimpleName() + ">\"";
        } else if (method.getReturnType().getKind() != TypeKind.VOID) {
            found = "returns \"" + ReadSupport.simple(method.getReturnType()) + "\"";
        } else if (!support.checkedExceptions(method).isEmpty()) {
            found = "declares checked exceptions " + support.checkedExceptions(method);
        }
        if (found != null) {
            diagnostics.report(Message.HANDLE_SIGNATURE, method, ReadSupport.describe(method), found,
                    method.getSimpleName());
            return null;
        }
        String wireName = support.wireName(event);
        if (wireName == null) {
            ExecutableElement decide = commands.get(event.getQualifiedName().toString());
            String fix;
            String hint = Diagnostics.didYouMean(event.getSimpleName().toString(), knownEvents);
            if (decide != null) {
                // A command: annotating it with @Event would be the wrong fix; the projection wants its event.
                String recorded = decidedEvent(decide);
                fix = "It is a command (\"" + decide.getEnclosingElement().getSimpleName() + "."
                        + ReadSupport.describe(decide) + "\" decides it), and projections see the events that"
                        + " decisions record, not commands. Handle " + (recorded == null ? "the event it records"
                        : "\"" + recorded + "\"") + " instead.";
                hint = recorded == null ? hint : "";
            } else {
                fix = "Annotate \"" + event.getSimpleName() + "\" with @Event, or handle an event type instead.";
            }
            diagnostics.report(Message.HANDLE_NOT_EVENT, parameters.get(0), ReadSupport.describe(method),
                    event.getSimpleName(), fix, hint);
            return null;
        }
        if (!support.checkAccessible(event, parameters.get(0))) {
            return null;
        }
        return new Handler(method, event, wireName, support.aliases(event), withStored);
    }

    /** The simple name of the event {@code decide} returns (alone, in a List or an Optional), or null. */
    private String decidedEvent(ExecutableElement decide) {
        TypeMirror result = decide.getReturnType();
        if (result instanceof DeclaredType declared && !declared.getTypeArguments().isEmpty()) {
            result = declared.getTypeArguments().get(0);
            if (result instanceof WildcardType wildcard) {
                result = wildcard.getExtendsBound();
            }
        }
        TypeElement element = result == null ? null : support.typeElement(result);
        return element == null || element.getQualifiedName().toString().startsWith("java.")
                ? null : element.getSimpleName().toString();
    }

    /** Whether {@code type} is {@code StoredEvent<?>}, {@code StoredEvent<E>} or {@code StoredEvent<? super E>}. */
    private boolean storedEventOf(TypeMirror type, TypeElement event) {
        TypeElement element = support.typeElement(type);
        if (element == null || !element.getQualifiedName().contentEquals("dev.eskit.StoredEvent")) {
            return false;
        }
        List<? extends TypeMirror> arguments = ((DeclaredType) type).getTypeArguments();
        if (arguments.isEmpty()) {
            return false;
        }
        TypeMirror argument = arguments.get(0);
        if (argument instanceof WildcardType wildcard) {
            if (wildcard.getSuperBound() != null) {
                return support.isSubtype(event.asType(), wildcard.getSuperBound());
            }
            return wildcard.getExtendsBound() == null
                    || support.isSubtype(event.asType(), wildcard.getExtendsBound());
        }
        return context.types().isSameType(context.types().erasure(argument),
                context.types().erasure(event.asType()));
    }
}

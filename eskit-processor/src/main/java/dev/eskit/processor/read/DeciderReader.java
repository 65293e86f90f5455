package dev.eskit.processor.read;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.StreamId;
import dev.eskit.processor.EskitContext;
import dev.eskit.processor.diag.Diagnostics;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.Call;
import dev.eskit.processor.model.DcbModel;
import dev.eskit.processor.model.DecideModel;
import dev.eskit.processor.model.DeciderModel;
import dev.eskit.processor.model.EvolveModel;
import dev.eskit.processor.model.RouteModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;

/** Reads one {@code @Decider} class into a {@link DeciderModel}, reporting every problem it has. */
public final class DeciderReader {

    private record Decision(ExecutableElement method, TypeElement command, boolean takesState,
                            DecideModel.Result result, TypeElement event) {
    }

    private record Evolution(ExecutableElement method, TypeElement event) {
    }

    private record StreamIdSource(String accessor, ExecutableElement method, TypeMirror type) {
    }

    private final EskitContext context;
    private final Diagnostics diagnostics;
    private final ReadSupport support;
    private final ValueTypes values;

    /** A reader in {@code context}. */
    public DeciderReader(EskitContext context) {
        this.context = context;
        this.diagnostics = context.diagnostics();
        this.support = new ReadSupport(context);
        this.values = new ValueTypes(context);
    }

    /**
     * The model of {@code type}, or null when it has errors (which are reported).
     *
     * @throws DeferException when it refers to a type that does not exist yet
     */
    public DeciderModel read(TypeElement type) {
        return read(type, false);
    }

    /**
     * The model of the {@code @DcbDecider} {@code type}, with its boundary, or null when it has errors (which are
     * reported).
     *
     * @throws DeferException when it refers to a type that does not exist yet
     */
    public DeciderModel readDcb(TypeElement type) {
        return read(type, true);
    }

    private DeciderModel read(TypeElement type, boolean dcb) {
        int before = diagnostics.errorCount();
        AnnotationMirror annotation = ReadSupport.mirror(type, dcb ? DcbDecider.class : Decider.class);
        List<ExecutableElement> initials = new ArrayList<>();
        List<ExecutableElement> decideMethods = new ArrayList<>();
        List<ExecutableElement> evolveMethods = new ArrayList<>();
        List<ExecutableElement> streamIdMethods = new ArrayList<>();
        for (ExecutableElement method : ReadSupport.methods(type)) {
            boolean handler = false;
            if (ReadSupport.mirror(method, InitialState.class) != null) {
                initials.add(method);
                handler = true;
            }
            if (ReadSupport.mirror(method, Decide.class) != null) {
                decideMethods.add(method);
                handler = true;
            }
            if (ReadSupport.mirror(method, Evolve.class) != null) {
                evolveMethods.add(method);
                handler = true;
            }
            if (ReadSupport.mirror(method, StreamId.class) != null) {
                streamIdMethods.add(method);
                handler = true;
            }
            if (handler) {
                ReadSupport.requireResolved(method);
            }
        }
        AnnotationValue commandsValue = ReadSupport.value(annotation, "commands");
        AnnotationValue eventsValue = ReadSupport.value(annotation, "events");
        TypeElement declaredCommands = declaredType(commandsValue);
        TypeElement declaredEvents = declaredType(eventsValue);

        support.checkAccessible(type, type);
        AnnotationValue streamValue = ReadSupport.value(annotation, "stream");
        String stream = streamValue == null ? "" : String.valueOf(streamValue.getValue());
        if (!dcb && (stream.isEmpty() || stream.length() > 256 || stream.indexOf('\0') >= 0)) {
            String suggestion = type.getSimpleName().toString().toLowerCase(java.util.Locale.ROOT);
            diagnostics.report(Message.DECIDER_STREAM_INVALID, type, annotation, streamValue,
                    type.getQualifiedName(), stream.replace("\0", "\\0"), suggestion);
        }

        TypeMirror state = initialState(type, annotation, initials);
        String stateName = state == null ? "State" : ReadSupport.simple(state);
        List<Decision> decisions = decisions(decideMethods, state, stateName);
        List<Evolution> evolutions = evolutions(evolveMethods, state, stateName);
        checkStreamIdMethods(streamIdMethods);
        if (diagnostics.errorCount() != before) {
            return null;
        }

        TypeElement command = commandType(type, annotation, commandsValue, declaredCommands, decisions, stream, dcb);
        TypeElement event = eventType(type, annotation, eventsValue, declaredEvents, decisions, evolutions, stream,
                stateName);
        if (command == null || event == null) {
            return null;
        }
        support.checkAccessible(command, type);
        support.checkAccessible(event, type);
        TypeElement stateType = support.typeElement(state);
        if (stateType != null) {
            support.checkAccessible(stateType, initials.get(0));
        }
        decisions.forEach(d -> support.checkAccessible(d.command(), d.method().getParameters().get(
                d.takesState() ? 1 : 0)));
        evolutions.forEach(e -> support.checkAccessible(e.event(), e.method().getParameters().get(1)));

        duplicates("Decide", decisions, Decision::command, Decision::method);
        duplicates("Evolve", evolutions, Evolution::event, Evolution::method);
        String eventName = event.getSimpleName().toString();
        if (ReadSupport.isSealed(command)) {
            for (TypeElement leaf : support.leaves(command)) {
                if (decisions.stream().noneMatch(d -> support.isSubtype(leaf, d.command()))) {
                    diagnostics.report(Message.DECIDE_MISSING, type, annotation, command.getSimpleName(),
                            type.getQualifiedName(), leaf.getSimpleName(), eventName, stateName, leaf.getSimpleName(),
                            unannotated(type, leaf, "Decide") + onlySome(decisions, stream, dcb));
                }
            }
        }
        checkEventsAnnotated(type, event, evolutions, decisions);
        if (ReadSupport.isSealed(event) && !dcb) {
            for (TypeElement leaf : support.leaves(event)) {
                if (evolutions.stream().noneMatch(e -> support.isSubtype(leaf, e.event()))) {
                    diagnostics.report(Message.EVOLVE_MISSING, type, annotation, event.getSimpleName(),
                            type.getQualifiedName(), leaf.getSimpleName(), stateName, stateName, leaf.getSimpleName(),
                            unannotated(type, leaf, "Evolve"));
                }
            }
        }
        List<RouteModel> routes = dcb ? List.of() : routes(type, decisions, streamIdMethods);
        List<ExecutableElement> instanceMethods = new ArrayList<>();
        for (List<ExecutableElement> group : List.of(initials, decideMethods, evolveMethods, streamIdMethods)) {
            group.stream().filter(m -> !m.getModifiers().contains(Modifier.STATIC)).forEach(instanceMethods::add);
        }
        ClassName source = ReadSupport.className(type);
        String base = generatedBaseName(source);
        ClassName deciderClass = ClassName.get(source.packageName(), base + "Decider");
        if (!instanceMethods.isEmpty()) {
            checkInstantiable(type, instanceMethods, deciderClass);
        }
        if (diagnostics.errorCount() != before) {
            return null;
        }

        List<DecideModel> decides = support.mostSpecificFirst(decisions, Decision::command).stream()
                .map(d -> new DecideModel(ClassName.get(d.command()), call(d.method()), d.takesState(), d.result()))
                .toList();
        List<EvolveModel> evolves = support.mostSpecificFirst(evolutions, Evolution::event).stream()
                .map(e -> new EvolveModel(ClassName.get(e.event()), call(e.method())))
                .toList();
        ImmutableTypes immutableTypes = new ImmutableTypes(context, support);
        String mutableState = immutableTypes.problem(state);
        DeciderModel model = new DeciderModel(source, deciderClass, ClassName.get(source.packageName(), base + "Spec"),
                stream, TypeName.get(state).box(), ClassName.get(command), ClassName.get(event),
                ReadSupport.isSealed(event), call(initials.get(0)), decides, evolves, routes,
                !instanceMethods.isEmpty(), type, mutableState, mutableState == null ? null
                        : immutableTypes.checks(state, source.packageName()));
        if (!dcb) {
            return model;
        }
        List<TypeElement> concreteCommands = new ArrayList<>();
        for (Decision decision : decisions) {
            if (ReadSupport.isConcrete(decision.command())) {
                concreteCommands.add(decision.command());
            } else if (ReadSupport.isSealed(decision.command())) {
                support.leaves(decision.command()).stream().filter(ReadSupport::isConcrete)
                        .forEach(concreteCommands::add);
            }
        }
        DcbModel boundary = new DcbQueryReader(context).read(type, annotation,
                evolutions.stream().map(Evolution::event).toList(), distinct(concreteCommands));
        if (boundary == null) {
            return null;
        }
        if (ReadSupport.isSealed(event)) {
            // A DCB decider folds only what its query matches: it may leave out events of its sealed type that the
            // query cannot match, but must evolve every one the store would hand it.
            for (TypeElement leaf : support.leaves(event)) {
                if (evolutions.stream().noneMatch(e -> support.isSubtype(leaf, e.event()))
                        && matches(boundary, leaf)) {
                    diagnostics.report(Message.EVOLVE_MISSING, type, annotation, event.getSimpleName(),
                            type.getQualifiedName(), leaf.getSimpleName(), stateName, stateName,
                            leaf.getSimpleName(), unannotated(type, leaf, "Evolve") + " Its query matches \""
                                    + leaf.getSimpleName() + "\", so a store hands it to the decider; or leave it"
                                    + " out of the query.");
                }
            }
            if (diagnostics.errorCount() != before) {
                return null;
            }
        }
        return model.withDcb(boundary);
    }

    /** Whether some item of {@code boundary} matches events of {@code leaf} by type and the tags it carries. */
    private boolean matches(DcbModel boundary, TypeElement leaf) {
        String wireName = support.wireName(leaf);
        if (wireName == null) {
            return false;
        }
        java.util.Set<String> carried = new TagReader(context).read(leaf, false).stream()
                .map(dev.eskit.processor.model.TagModel::prefix).collect(Collectors.toSet());
        return boundary.items().stream().anyMatch(item -> (item.types().isEmpty()
                || item.types().contains(wireName)) && carried.containsAll(item.prefixes()));
    }

    /**
     * Names the events that break the family: those outside the sealed interface most of the others implement, such
     * as {@code : "Unrelated" does not implement sealed "AccountEvent" as "Added" does}.
     */
    private String outsiders(List<TypeElement> events) {
        Map<String, List<TypeElement>> members = new TreeMap<>();
        Map<String, TypeElement> sealedTypes = new TreeMap<>();
        for (TypeElement event : events) {
            for (TypeElement supertype : support.selfAndSupertypes(event)) {
                if (supertype != event && ReadSupport.isSealed(supertype)) {
                    String key = supertype.getQualifiedName().toString();
                    sealedTypes.putIfAbsent(key, supertype);
                    members.computeIfAbsent(key, k -> new ArrayList<>()).add(event);
                }
            }
        }
        String best = null;
        for (Map.Entry<String, List<TypeElement>> entry : members.entrySet()) {
            if (best == null || entry.getValue().size() > members.get(best).size()) {
                best = entry.getKey();
            }
        }
        if (best == null) {
            return ": none of them implements a sealed interface";
        }
        List<TypeElement> inside = members.get(best);
        List<TypeElement> outside = events.stream().filter(e -> !inside.contains(e)).toList();
        return ": " + names(outside) + (outside.size() == 1 ? " does" : " do") + " not implement sealed \""
                + sealedTypes.get(best).getSimpleName() + "\" as " + names(inside)
                + (inside.size() == 1 ? " does" : " do");
    }

    /** A hint to declare the command type when a decider decides only one command of a sealed family. */
    private static String onlySome(List<Decision> decisions, String stream, boolean dcb) {
        List<TypeElement> commands = distinct(decisions.stream().map(Decision::command).toList());
        if (commands.size() != 1) {
            return "";
        }
        String name = commands.get(0).getSimpleName().toString();
        return " If it decides only \"" + name + "\", declare that: " + (dcb ? "@DcbDecider(query = ..., commands = "
                : "@Decider(stream = \"" + stream + "\", commands = ") + name + ".class).";
    }

    /**
     * Reports concrete events of the decider (leaves of a sealed event type, types evolved or decided) that lack
     * {@code @Event}: they would compile and pass a Spec, and fail only when a store is asked to append them.
     */
    private void checkEventsAnnotated(TypeElement decider, TypeElement event, List<Evolution> evolutions,
                                      List<Decision> decisions) {
        Map<String, TypeElement> candidates = new TreeMap<>();
        List<TypeElement> roots = new ArrayList<>(List.of(event));
        evolutions.forEach(e -> roots.add(e.event()));
        decisions.forEach(d -> roots.add(d.event()));
        for (TypeElement root : roots) {
            for (TypeElement leaf : ReadSupport.isSealed(root) ? support.leaves(root) : List.of(root)) {
                if (ReadSupport.isConcrete(leaf)) {
                    candidates.putIfAbsent(leaf.getQualifiedName().toString(), leaf);
                }
            }
        }
        for (TypeElement leaf : candidates.values()) {
            if (ReadSupport.mirror(leaf, dev.eskit.annotations.Event.class) == null) {
                String role = (support.isSubtype(leaf, event) && !leaf.equals(event)
                        ? "a \"" + event.getSimpleName() + "\"" : "an event") + " of \"" + decider.getSimpleName()
                        + "\"";
                diagnostics.report(Message.EVENT_ANNOTATION_MISSING, leaf, leaf.getSimpleName(), role,
                        leaf.getKind() == ElementKind.RECORD ? "record" : "class", leaf.getSimpleName());
            }
        }
    }

    /** {@code Account} for a top-level class, {@code Bank_Account} for {@code Bank.Account}. */
    static String generatedBaseName(ClassName source) {
        return String.join("_", source.simpleNames());
    }

    private static Call call(ExecutableElement method) {
        return new Call(method.getSimpleName().toString(), method.getModifiers().contains(Modifier.STATIC));
    }

    private TypeElement declaredType(AnnotationValue value) {
        if (value == null) {
            return null;
        }
        if (!(value.getValue() instanceof TypeMirror mirror)) {
            throw new DeferException(String.valueOf(value.getValue()));
        }
        ReadSupport.requireResolved(mirror);
        TypeElement element = support.typeElement(mirror);
        return element == null || element.getQualifiedName().contentEquals("java.lang.Object") ? null : element;
    }

    private TypeMirror initialState(TypeElement type, AnnotationMirror annotation, List<ExecutableElement> initials) {
        if (initials.isEmpty()) {
            String hint = ReadSupport.methods(type).stream()
                    .filter(m -> m.getParameters().isEmpty() && m.getReturnType().getKind() != TypeKind.VOID)
                    .map(m -> " Did you mean to annotate \"" + m.getSimpleName() + "()\" with @InitialState?")
                    .findFirst().orElse("");
            diagnostics.report(Message.INITIAL_STATE_MISSING, type, annotation, type.getQualifiedName(), hint);
            return null;
        }
        if (initials.size() > 1) {
            String all = initials.stream().map(m -> "\"" + ReadSupport.describe(m) + "\"")
                    .collect(Collectors.joining(", "));
            for (ExecutableElement extra : initials.subList(1, initials.size())) {
                diagnostics.report(Message.INITIAL_STATE_DUPLICATE, extra, ReadSupport.mirror(extra,
                        InitialState.class), type.getQualifiedName(), initials.size(), all);
            }
        }
        ExecutableElement method = initials.get(0);
        boolean callable = support.checkCallable(method, "InitialState");
        String name = method.getSimpleName().toString();
        if (!method.getParameters().isEmpty()) {
            diagnostics.report(Message.INITIAL_STATE_SIGNATURE, method, ReadSupport.describe(method),
                    "takes parameters", name);
            return null;
        }
        TypeKind kind = method.getReturnType().getKind();
        if (kind == TypeKind.VOID) {
            diagnostics.report(Message.INITIAL_STATE_SIGNATURE, method, ReadSupport.describe(method),
                    "returns void", name);
            return null;
        }
        if (!support.checkedExceptions(method).isEmpty()) {
            diagnostics.report(Message.INITIAL_STATE_SIGNATURE, method, ReadSupport.describe(method),
                    "declares checked exceptions " + support.checkedExceptions(method), name);
            return null;
        }
        return callable ? method.getReturnType() : null;
    }

    private List<Decision> decisions(List<ExecutableElement> methods, TypeMirror state, String stateName) {
        List<Decision> decisions = new ArrayList<>();
        for (ExecutableElement method : methods) {
            if (!support.checkCallable(method, "Decide")) {
                continue;
            }
            String name = method.getSimpleName().toString();
            List<? extends VariableElement> parameters = method.getParameters();
            String found = null;
            Element on = method;
            if (parameters.isEmpty() || parameters.size() > 2) {
                found = "takes " + parameters.size() + " parameters " + ReadSupport.describe(method)
                        .substring(name.length());
            } else if (parameters.size() == 2 && state != null
                    && !context.types().isAssignable(state, parameters.get(0).asType())) {
                found = "takes state \"" + ReadSupport.simple(parameters.get(0).asType())
                        + "\" but the @InitialState method returns \"" + stateName + "\"";
                on = parameters.get(0);
            } else if (support.typeElement(parameters.get(parameters.size() - 1).asType()) == null) {
                found = "takes \"" + ReadSupport.simple(parameters.get(parameters.size() - 1).asType())
                        + "\" as its command, which is not a class, record or interface";
                on = parameters.get(parameters.size() - 1);
            } else if (!support.checkedExceptions(method).isEmpty()) {
                found = "declares checked exceptions " + support.checkedExceptions(method)
                        + " (decide methods reject commands with unchecked exceptions)";
            }
            if (found != null) {
                diagnostics.report(Message.DECIDE_SIGNATURE, on, stateName, ReadSupport.describe(method), found,
                        "Event", name, stateName);
                continue;
            }
            TypeMirror returned = method.getReturnType();
            DecideModel.Result result = DecideModel.Result.ONE;
            TypeMirror element = returned;
            TypeElement returnedType = support.typeElement(returned);
            if (returnedType != null && (returnedType.getQualifiedName().contentEquals("java.util.List")
                    || returnedType.getQualifiedName().contentEquals("java.util.Optional"))) {
                result = returnedType.getQualifiedName().contentEquals("java.util.List")
                        ? DecideModel.Result.LIST : DecideModel.Result.OPTIONAL;
                List<? extends TypeMirror> arguments = ((DeclaredType) returned).getTypeArguments();
                element = arguments.isEmpty() ? null : arguments.get(0);
                if (element instanceof WildcardType wildcard) {
                    element = wildcard.getExtendsBound();
                }
            }
            TypeElement event = element == null ? null : support.typeElement(element);
            if (event == null || (element instanceof DeclaredType d && !d.getTypeArguments().isEmpty())) {
                diagnostics.report(Message.DECIDE_RETURN, method, "Event", "Event", "Event",
                        ReadSupport.describe(method), ReadSupport.simple(returned));
                continue;
            }
            VariableElement commandParameter = parameters.get(parameters.size() - 1);
            decisions.add(new Decision(method, support.typeElement(commandParameter.asType()), parameters.size() == 2,
                    result, event));
        }
        return decisions;
    }

    private List<Evolution> evolutions(List<ExecutableElement> methods, TypeMirror state, String stateName) {
        List<Evolution> evolutions = new ArrayList<>();
        for (ExecutableElement method : methods) {
            if (!support.checkCallable(method, "Evolve")) {
                continue;
            }
            List<? extends VariableElement> parameters = method.getParameters();
            String found = null;
            Element on = method;
            if (parameters.size() != 2) {
                found = "takes " + parameters.size() + " parameters "
                        + ReadSupport.describe(method).substring(method.getSimpleName().length());
            } else if (support.typeElement(parameters.get(1).asType()) == null) {
                found = "takes \"" + ReadSupport.simple(parameters.get(1).asType())
                        + "\" as its event, which is not a record or interface";
                on = parameters.get(1);
            } else if (state != null && !context.types().isAssignable(state, parameters.get(0).asType())) {
                found = "takes state \"" + ReadSupport.simple(parameters.get(0).asType())
                        + "\" but the @InitialState method returns \"" + stateName + "\"";
                on = parameters.get(0);
            } else if (state != null && !context.types().isAssignable(method.getReturnType(), state)) {
                found = "returns \"" + ReadSupport.simple(method.getReturnType()) + "\"";
            } else if (!support.checkedExceptions(method).isEmpty()) {
                found = "declares checked exceptions " + support.checkedExceptions(method);
            }
            if (found != null) {
                diagnostics.report(Message.EVOLVE_SIGNATURE, on, stateName, stateName, ReadSupport.describe(method),
                        found, stateName, method.getSimpleName(), stateName);
                continue;
            }
            evolutions.add(new Evolution(method, support.typeElement(parameters.get(1).asType())));
        }
        return evolutions;
    }

    private void checkStreamIdMethods(List<ExecutableElement> methods) {
        for (ExecutableElement method : methods) {
            if (!support.checkCallable(method, "StreamId")) {
                continue;
            }
            String found = null;
            if (method.getParameters().size() != 1) {
                found = "takes " + method.getParameters().size() + " parameters";
            } else if (method.getReturnType().getKind() == TypeKind.VOID) {
                found = "returns void";
            }
            if (found != null) {
                diagnostics.report(Message.STREAM_ID_SIGNATURE, method, ReadSupport.describe(method), found,
                        "Declare it as: @StreamId static String " + method.getSimpleName()
                                + "(YourCommand command).");
            }
        }
    }

    private TypeElement commandType(TypeElement type, AnnotationMirror annotation, AnnotationValue value,
                                    TypeElement declared, List<Decision> decisions, String stream, boolean dcb) {
        if (declared != null) {
            boolean ok = true;
            for (Decision decision : decisions) {
                if (!support.isSubtype(decision.command(), declared)) {
                    VariableElement parameter = decision.method().getParameters().get(decision.takesState() ? 1 : 0);
                    diagnostics.report(Message.DECIDE_SIGNATURE, parameter, "State",
                            ReadSupport.describe(decision.method()), "takes command \""
                                    + decision.command().getSimpleName() + "\", which is not a \""
                                    + declared.getSimpleName() + "\" (the declared commands type)",
                            "Event", decision.method().getSimpleName(), "State");
                    ok = false;
                }
            }
            return ok ? declared : null;
        }
        List<TypeElement> commands = distinct(decisions.stream().map(Decision::command).toList());
        if (commands.isEmpty()) {
            diagnostics.report(Message.DECIDER_COMMANDS, type, annotation, type.getQualifiedName(),
                    "declare no commands (there are no @Decide methods)", stream, "YourCommand");
            return null;
        }
        TypeElement sealed = support.commonSealedSupertype(commands);
        if (sealed != null && dcb && commands.size() == 1 && support.leaves(sealed).stream()
                .anyMatch(leaf -> !support.isSubtype(leaf, commands.get(0)))) {
            // A DCB decider usually decides one command of a family that other DCB deciders share.
            return commands.get(0);
        }
        if (sealed != null) {
            return sealed;
        }
        if (commands.size() == 1) {
            return commands.get(0);
        }
        diagnostics.report(Message.DECIDER_COMMANDS, type, annotation, value, type.getQualifiedName(),
                "take " + names(commands) + ", which share no sealed interface", stream, "YourCommand");
        return null;
    }

    private TypeElement eventType(TypeElement type, AnnotationMirror annotation, AnnotationValue value,
                                  TypeElement declared, List<Decision> decisions, List<Evolution> evolutions,
                                  String stream, String stateName) {
        if (declared != null) {
            boolean ok = true;
            for (Decision decision : decisions) {
                if (!support.isSubtype(decision.event(), declared)) {
                    diagnostics.report(Message.DECIDE_RETURN, decision.method(), declared.getSimpleName(),
                            declared.getSimpleName(), declared.getSimpleName(),
                            ReadSupport.describe(decision.method()),
                            ReadSupport.simple(decision.method().getReturnType()));
                    ok = false;
                }
            }
            for (Evolution evolution : evolutions) {
                if (!support.isSubtype(evolution.event(), declared)) {
                    diagnostics.report(Message.EVOLVE_SIGNATURE, evolution.method().getParameters().get(1),
                            stateName, stateName, ReadSupport.describe(evolution.method()),
                            "takes event \"" + evolution.event().getSimpleName() + "\", which is not a \""
                                    + declared.getSimpleName() + "\" (the declared events type)",
                            stateName, evolution.method().getSimpleName(), stateName);
                    ok = false;
                }
            }
            return ok ? declared : null;
        }
        List<TypeElement> events = new ArrayList<>(evolutions.stream().map(Evolution::event).toList());
        decisions.forEach(d -> events.add(d.event()));
        events.sort(java.util.Comparator.comparing(t -> t.getQualifiedName().toString()));
        List<TypeElement> distinct = distinct(events);
        if (distinct.isEmpty()) {
            diagnostics.report(Message.DECIDER_EVENTS, type, annotation, type.getQualifiedName(),
                    "mention no events", stream, "YourEvent");
            return null;
        }
        TypeElement sealed = support.commonSealedSupertype(distinct);
        if (sealed != null) {
            return sealed;
        }
        if (distinct.size() == 1) {
            return distinct.get(0);
        }
        diagnostics.report(Message.DECIDER_EVENTS, type, annotation, value, type.getQualifiedName(),
                "use " + names(distinct) + ", which share no sealed interface" + outsiders(distinct), stream,
                "YourEvent");
        return null;
    }

    private <T> void duplicates(String annotation, List<T> items, Function<T, TypeElement> typeOf,
                                Function<T, ExecutableElement> methodOf) {
        Map<String, T> first = new LinkedHashMap<>();
        for (T item : items) {
            String key = typeOf.apply(item).getQualifiedName().toString();
            T previous = first.putIfAbsent(key, item);
            if (previous != null) {
                ExecutableElement method = methodOf.apply(item);
                diagnostics.report(Message.HANDLER_DUPLICATE, method, annotation, typeOf.apply(item).getSimpleName(),
                        ReadSupport.describe(methodOf.apply(previous)), ReadSupport.describe(method));
            }
        }
    }

    private String unannotated(TypeElement type, TypeElement leaf, String annotation) {
        for (ExecutableElement method : ReadSupport.methods(type)) {
            boolean annotated = method.getAnnotationMirrors().stream().anyMatch(m -> m.getAnnotationType().toString()
                    .startsWith("dev.eskit.annotations."));
            if (!annotated && method.getParameters().stream()
                    .anyMatch(p -> context.types().isSameType(p.asType(), leaf.asType()))) {
                return " Did you mean to annotate \"" + ReadSupport.describe(method) + "\" with @" + annotation + "?";
            }
        }
        return "";
    }

    private List<RouteModel> routes(TypeElement type, List<Decision> decisions,
                                    List<ExecutableElement> streamIdMethods) {
        Map<String, TypeElement> routed = new TreeMap<>();
        Map<String, Decision> decisionOf = new TreeMap<>();
        for (Decision decision : decisions) {
            List<TypeElement> targets;
            if (ReadSupport.isConcrete(decision.command())) {
                targets = List.of(decision.command());
            } else if (ReadSupport.isSealed(decision.command())) {
                targets = support.leaves(decision.command()).stream().filter(ReadSupport::isConcrete).toList();
            } else {
                targets = List.of(); // an open abstract type: the bus routes exact classes, so there is no route
            }
            for (TypeElement target : targets) {
                String key = target.getQualifiedName().toString();
                routed.putIfAbsent(key, target);
                decisionOf.putIfAbsent(key, decision);
            }
        }
        List<RouteModel> routes = new ArrayList<>();
        for (Map.Entry<String, TypeElement> entry : routed.entrySet()) {
            TypeElement command = entry.getValue();
            Decision decision = decisionOf.get(entry.getKey());
            Element on = decision.method().getParameters().get(decision.takesState() ? 1 : 0);
            StreamIdSource source = streamId(type, command, streamIdMethods, on);
            if (source == null) {
                continue;
            }
            boolean isString = source.type().toString().equals("java.lang.String");
            routes.add(new RouteModel(ClassName.get(command), source.accessor(),
                    source.method() == null ? null : call(source.method()), isString));
        }
        return routes;
    }

    private StreamIdSource streamId(TypeElement decider, TypeElement command, List<ExecutableElement> methods,
                                    Element on) {
        List<ExecutableElement> usable = methods.stream()
                .filter(m -> m.getParameters().size() == 1 && m.getReturnType().getKind() != TypeKind.VOID
                        && !m.getModifiers().contains(Modifier.PRIVATE))
                .toList();
        List<ExecutableElement> exact = usable.stream()
                .filter(m -> context.types().isSameType(context.types().erasure(m.getParameters().get(0).asType()),
                        context.types().erasure(command.asType())))
                .toList();
        if (exact.size() == 1) {
            return new StreamIdSource(null, exact.get(0), exact.get(0).getReturnType());
        }
        if (exact.size() > 1) {
            ambiguous(command, exact.stream().map(m -> "decider method \"" + ReadSupport.describe(m) + "\"").toList(),
                    on);
            return null;
        }
        Map<String, TypeMirror> components = components(command);
        if (components.size() == 1) {
            Map.Entry<String, TypeMirror> only = components.entrySet().iterator().next();
            return new StreamIdSource(only.getKey(), null, only.getValue());
        }
        if (components.size() > 1) {
            ambiguous(command, components.keySet().stream().map(n -> "\"" + n + "\"").toList(), on);
            return null;
        }
        List<ExecutableElement> applicable = usable.stream()
                .filter(m -> support.isSubtype(command.asType(), m.getParameters().get(0).asType()))
                .toList();
        if (applicable.size() == 1) {
            return new StreamIdSource(null, applicable.get(0), applicable.get(0).getReturnType());
        }
        if (applicable.size() > 1) {
            ambiguous(command, applicable.stream().map(m -> "decider method \"" + ReadSupport.describe(m) + "\"")
                    .toList(), on);
            return null;
        }
        String hint = "";
        for (Element member : command.getEnclosedElements()) {
            String name = member.getSimpleName().toString();
            if (member.getKind() == ElementKind.RECORD_COMPONENT
                    && (name.equals("id") || name.endsWith("Id"))) {
                hint = " Did you mean to annotate component \"" + name + "\" with @StreamId?";
                break;
            }
        }
        diagnostics.report(Message.STREAM_ID_MISSING, on, command.getSimpleName(), decider.getQualifiedName(),
                command.getSimpleName(), command.getSimpleName(), hint);
        return null;
    }

    private void ambiguous(TypeElement command, List<String> candidates, Element on) {
        diagnostics.report(Message.STREAM_ID_AMBIGUOUS, on, command.getSimpleName(), candidates.size(),
                String.join(", ", candidates));
    }

    /** The {@code @StreamId} components and no-argument methods of {@code command} and its supertypes, by name. */
    private Map<String, TypeMirror> components(TypeElement command) {
        Map<String, TypeMirror> found = new TreeMap<>();
        if (ValueTypes.isKotlin(command) && command.getKind() == ElementKind.CLASS) {
            // Kotlin: `data class Deposit(@StreamId val accountId: String)` puts the annotation on the constructor
            // parameter (kapt's stub keeps it there); the route calls the property's getter.
            ExecutableElement constructor = values.propertyConstructor(command);
            if (constructor != null) {
                for (VariableElement parameter : constructor.getParameters()) {
                    if (ReadSupport.mirror(parameter, StreamId.class) != null) {
                        ExecutableElement getter = values.getter(command, parameter);
                        found.putIfAbsent(getter.getSimpleName().toString(), getter.getReturnType());
                    }
                }
            }
        }
        for (TypeElement type : support.selfAndSupertypes(command)) {
            for (Element member : type.getEnclosedElements()) {
                if (ReadSupport.mirror(member, StreamId.class) == null) {
                    continue;
                }
                if (member.getKind() == ElementKind.RECORD_COMPONENT) {
                    found.putIfAbsent(member.getSimpleName().toString(), member.asType());
                } else if (member instanceof ExecutableElement method && method.getKind() == ElementKind.METHOD) {
                    if (!method.getParameters().isEmpty() || method.getReturnType().getKind() == TypeKind.VOID
                            || method.getModifiers().contains(Modifier.STATIC)) {
                        diagnostics.report(Message.STREAM_ID_SIGNATURE, method, ReadSupport.describe(method),
                                "is static, returns void or takes parameters",
                                "Use a record component or an instance method with no parameters that returns the id.");
                        continue;
                    }
                    found.putIfAbsent(method.getSimpleName().toString(), method.getReturnType());
                }
            }
        }
        return found;
    }

    private void checkInstantiable(TypeElement type, List<ExecutableElement> instanceMethods,
                                   ClassName deciderClass) {
        String reason = null;
        if (type.getKind() != ElementKind.CLASS || type.getModifiers().contains(Modifier.ABSTRACT)) {
            reason = "it is " + ReadSupport.article((type.getModifiers().contains(Modifier.ABSTRACT)
                    && type.getKind() == ElementKind.CLASS ? "abstract " : "") + ReadSupport.kindName(type));
        } else if (ElementFilter.constructorsIn(type.getEnclosedElements()).stream()
                .noneMatch(c -> c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE))) {
            reason = "it has no non-private no-argument constructor";
        }
        if (reason != null) {
            diagnostics.report(Message.DECIDER_INSTANTIATION, type, type.getQualifiedName(),
                    instanceMethods.stream().map(m -> "\"" + ReadSupport.describe(m) + "\"")
                            .collect(Collectors.joining(", ")),
                    deciderClass.simpleName(), reason);
        }
    }

    private static List<TypeElement> distinct(List<TypeElement> types) {
        Map<String, TypeElement> byName = new LinkedHashMap<>();
        types.forEach(t -> byName.putIfAbsent(t.getQualifiedName().toString(), t));
        return new ArrayList<>(byName.values());
    }

    private static String names(List<TypeElement> types) {
        return types.stream().map(t -> "\"" + t.getSimpleName() + "\"").collect(Collectors.joining(", "));
    }
}

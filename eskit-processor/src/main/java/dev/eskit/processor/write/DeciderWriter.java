package dev.eskit.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.eskit.processor.model.Call;
import dev.eskit.processor.model.DcbModel;
import dev.eskit.processor.model.DecideModel;
import dev.eskit.processor.model.DeciderModel;
import dev.eskit.processor.model.EvolveModel;
import dev.eskit.processor.model.RouteModel;
import dev.eskit.processor.model.StateCheckModel;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code <Name>Decider}: the generated {@code dev.eskit.Decider} and its command routes, or for a
 * {@code @DcbDecider} the generated {@code dev.eskit.dcb.DcbDecider} with its query.
 */
public final class DeciderWriter {

    private static final ClassName DECIDER = ClassName.get("dev.eskit", "Decider");
    private static final ClassName DCB_DECIDER = ClassName.get("dev.eskit.dcb", "DcbDecider");
    private static final ClassName QUERY = ClassName.get("dev.eskit.dcb", "Query");
    private static final ClassName QUERY_ITEM = ClassName.get("dev.eskit.dcb", "QueryItem");
    private static final ClassName TAG = ClassName.get("dev.eskit.dcb", "Tag");
    private static final ClassName ROUTE = ClassName.get("dev.eskit.command", "CommandRoute");
    private static final ClassName UNKNOWN_COMMAND = ClassName.get("dev.eskit", "UnknownCommandException");
    private static final ClassName LIST = ClassName.get(List.class);
    private static final ClassName OBJECTS = ClassName.get(Objects.class);
    private static final ClassName IMMUTABLE_VALUES = ClassName.get("dev.eskit", "ImmutableValues");

    /** The decider file for {@code model}. */
    public JavaFile write(DeciderModel model) {
        ClassName self = model.deciderClass();
        TypeName events = ParameterizedTypeName.get(LIST, model.event());
        TypeName route = ParameterizedTypeName.get(ROUTE, model.state(), model.command(), model.event());
        boolean dcb = model.dcb() != null;
        TypeSpec.Builder type = TypeSpec.classBuilder(self);
        if (dcb) {
            type.addJavadoc("The DCB decider of {@link $T}: its state is folded from the events of {@link #query}.\n"
                    + "\n<p>Commands without a {@code @Decide} method throw {@link $T}; ", model.source(),
                    UNKNOWN_COMMAND);
        } else {
            type.addJavadoc("The decider of stream type {@code $L}, dispatching to the methods of {@link $T}.\n"
                    + "\n<p>Commands without a {@code @Decide} method throw {@link $T}; ", model.streamType(),
                    model.source(), UNKNOWN_COMMAND);
        }
        type
                .addJavadoc(model.eventSealed()
                        ? "every event has an {@code @Evolve} method (the event type is sealed).\n"
                        : "events without an {@code @Evolve} method leave the state unchanged.\n")
                .addAnnotation(WriteSupport.generated())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(dcb ? DCB_DECIDER : DECIDER, model.state(),
                        model.command(), model.event()))
                .addOriginatingElement(model.origin());
        if (!dcb) {
            type.addField(FieldSpec.builder(String.class, "STREAM_TYPE", Modifier.PUBLIC, Modifier.STATIC,
                            Modifier.FINAL)
                    .addJavadoc("The stream type of this decider's streams.\n")
                    .initializer("$S", model.streamType())
                    .build());
        }
        if (model.needsTarget()) {
            type.addField(model.source(), "target", Modifier.PRIVATE, Modifier.FINAL)
                    .addMethod(MethodSpec.constructorBuilder()
                            .addJavadoc("A decider on a new {@link $T}.\n", model.source())
                            .addModifiers(Modifier.PUBLIC)
                            .addStatement("this(new $T())", model.source())
                            .build())
                    .addMethod(MethodSpec.constructorBuilder()
                            .addJavadoc("A decider on {@code target}, whose instance methods it calls.\n")
                            .addModifiers(Modifier.PUBLIC)
                            .addParameter(model.source(), "target")
                            .addStatement("this.target = $T.requireNonNull(target, $S)", OBJECTS, "target")
                            .build());
        } else {
            type.addMethod(MethodSpec.constructorBuilder()
                    .addJavadoc("Creates the decider; it has no state of its own.\n")
                    .addModifiers(Modifier.PUBLIC)
                    .build());
        }

        if (model.mutableState() == null) {
            type.addMethod(MethodSpec.methodBuilder("immutableStates")
                    .addJavadoc("Always {@code true}: {@link $T} is proven deeply immutable at compile time, so command"
                            + " handlers cache\nrecently used streams' states by default.\n", model.state())
                    .addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC)
                    .returns(boolean.class)
                    .addStatement("return true")
                    .build());
        } else if (model.stateChecks() != null && !dcb) {
            type.addJavadoc("\n<p>Command handlers cache this decider's states by default: as they are when"
                    + " {@link #isImmutable} finds\ntheir collections unmodifiable (built with {@code List.of},"
                    + " {@code List.copyOf}, {@code Stream.toList()}\nand the like), else as private copies"
                    + " ({@link #copyState}: {@code ArrayList}, {@code HashMap} and the like\nare copied), and not"
                    + " at all when a collection is of another class. Its type alone does not prove the\nstates"
                    + " immutable, because $L.\n", model.mutableState().replace("<", "&lt;").replace(">", "&gt;"));
            addStateChecks(type, model.state(), model.stateChecks());
        } else {
            type.addJavadoc("\n<p>Command handlers do not cache this decider's states unless asked to"
                    + " ({@code cacheStates(n)}):\nthey are not proven immutable, because $L.\n",
                    model.mutableState().replace("<", "&lt;").replace(">", "&gt;"));
        }

        type.addMethod(MethodSpec.methodBuilder("initialState")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(model.state())
                .addStatement("return $L()", receiver(model, model.initialState()))
                .build());

        MethodSpec.Builder decide = MethodSpec.methodBuilder("decide")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(events)
                .addParameter(model.state(), "state")
                .addParameter(model.command(), "command")
                .addStatement("$T.requireNonNull(command, $S)", OBJECTS, "command");
        boolean catchAll = false;
        for (DecideModel handler : model.decides()) {
            String method = model.source().simpleName() + "." + handler.call().name();
            CodeBlock call = CodeBlock.of("$L($L)", receiver(model, handler.call()),
                    handler.takesState() ? "state, c" : "c");
            // Java 17 rejects "x instanceof T t" when x is already a T, so a handler of the whole type is called as is.
            catchAll = handler.command().equals(model.command());
            if (catchAll) {
                decide.addStatement("$T c = command", handler.command());
            } else {
                decide.beginControlFlow("if (command instanceof $T c)", handler.command());
            }
            switch (handler.result()) {
                case ONE -> decide.addStatement("return $T.of($T.requireNonNull($L, $S))", LIST, OBJECTS, call,
                        method + " returned null");
                case LIST -> decide.addStatement("return $T.copyOf($T.requireNonNull($L, $S))", LIST, OBJECTS, call,
                        method + " returned null");
                case OPTIONAL -> decide.addStatement("return $L.<$T>map($T::of).orElse($T.of())", call, events, LIST,
                        LIST);
                default -> throw new IllegalStateException(handler.result().toString());
            }
            if (catchAll) {
                break;
            }
            decide.endControlFlow();
        }
        if (!catchAll) {
            decide.addStatement("throw new $T($S + command.getClass().getName() + $S)", UNKNOWN_COMMAND,
                    model.source().simpleName() + " has no @Decide method for command ",
                    ". Add one, or send the command to the decider that handles it.");
        }
        type.addMethod(decide.build());

        MethodSpec.Builder evolve = MethodSpec.methodBuilder("evolve")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(model.state())
                .addParameter(model.state(), "state")
                .addParameter(model.event(), "event")
                .addStatement("$T.requireNonNull(event, $S)", OBJECTS, "event");
        boolean evolvesAll = false;
        for (EvolveModel handler : model.evolves()) {
            if (handler.event().equals(model.event())) {
                evolve.addStatement("return $L(state, event)", receiver(model, handler.call()));
                evolvesAll = true;
                break;
            }
            evolve.beginControlFlow("if (event instanceof $T e)", handler.event())
                    .addStatement("return $L(state, e)", receiver(model, handler.call()))
                    .endControlFlow();
        }
        if (evolvesAll) {
            type.addMethod(evolve.build());
        } else if (model.eventSealed()) {
            evolve.addComment("Unreachable unless a new event type was added without recompiling $L",
                    model.source().simpleName());
        } else {
            evolve.addComment("An event without an @Evolve method does not change the state");
        }
        if (!evolvesAll) {
            evolve.addStatement("return state");
            type.addMethod(evolve.build());
        }

        if (dcb) {
            writeBoundary(model, type);
            return WriteSupport.file(self.packageName(), type.build(), model.source().canonicalName());
        }
        type.addMethod(MethodSpec.methodBuilder("routes")
                .addJavadoc("The command routes of a new decider, for {@code CommandBus.builder(store).register(...)}.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ParameterizedTypeName.get(LIST, route))
                .addStatement("return routes(new $T())", self)
                .build());
        CodeBlock.Builder routes = CodeBlock.builder();
        if (model.routes().isEmpty()) {
            routes.addStatement("return $T.of()", LIST);
        } else {
            routes.add("return $T.of(\n", LIST).indent().indent();
            for (int i = 0; i < model.routes().size(); i++) {
                RouteModel r = model.routes().get(i);
                routes.add("$T.of($T.class, STREAM_TYPE, $L, decider)$L\n", ROUTE, r.command(), streamId(model, r),
                        i + 1 < model.routes().size() ? "," : ");");
            }
            routes.unindent().unindent();
        }
        type.addMethod(MethodSpec.methodBuilder("routes")
                .addJavadoc("The command routes of {@code decider}: command class, stream type {@code $L}, stream id.\n",
                        model.streamType())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(ParameterizedTypeName.get(LIST, route))
                .addParameter(self, "decider")
                .addStatement("$T.requireNonNull(decider, $S)", OBJECTS, "decider")
                .addCode(routes.build())
                .build());
        return WriteSupport.file(self.packageName(), type.build(), model.source().canonicalName());
    }

    /**
     * {@code checksStates()}, {@code isImmutable(S)} and {@code copyState(S)}, and one {@code immutable(T)},
     * {@code copyable(T)} and {@code copy(T)} per record or sealed type on the way to the state's collections.
     */
    private static void addStateChecks(TypeSpec.Builder type, TypeName state, StateCheckModel checks) {
        type.addMethod(MethodSpec.methodBuilder("checksStates")
                .addJavadoc("Always {@code true}: {@link #isImmutable} tells immutable states apart at run time.\n")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(boolean.class)
                .addStatement("return true")
                .build());
        type.addMethod(MethodSpec.methodBuilder("isImmutable")
                .addJavadoc("Whether {@code state}'s collections are all the JDK's unmodifiable ones"
                        + " ({@link $T}).\n", IMMUTABLE_VALUES)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(boolean.class)
                .addParameter(state, "state")
                .addStatement(checks.rootContainer() ? CodeBlock.of("return $T.isUnmodifiable(state)",
                        IMMUTABLE_VALUES) : CodeBlock.of("return immutable(state)"))
                .build());
        type.addMethod(MethodSpec.methodBuilder("copyState")
                .addJavadoc("A copy of {@code state} whose collections are new ones ({@link $T#copy}), or {@code null}"
                        + " when one\nis of a class that is not copied.\n", IMMUTABLE_VALUES)
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(state)
                .addParameter(state, "state")
                .addStatement(checks.rootContainer()
                        ? CodeBlock.of("return $T.isCopyable(state) ? $T.copy(state) : null", IMMUTABLE_VALUES,
                                IMMUTABLE_VALUES)
                        : CodeBlock.of("return copyable(state) ? copy(state) : null"))
                .build());
        for (StateCheckModel.Method method : checks.methods()) {
            addCheck(type, method, "immutable", "isUnmodifiable");
        }
        for (StateCheckModel.Method method : checks.methods()) {
            addCheck(type, method, "copyable", "isCopyable");
        }
        for (StateCheckModel.Method method : checks.methods()) {
            addCopy(type, method);
        }
    }

    /**
     * One check method, {@code name(T value)}: its collections pass {@code ImmutableValues.test}, its records and
     * sealed types {@code name}.
     */
    private static void addCheck(TypeSpec.Builder type, StateCheckModel.Method method, String name, String test) {
        CodeBlock.Builder body = CodeBlock.builder().add("return value == null || ");
        int variable = 0;
        for (int i = 0; i < method.parts().size(); i++) {
            StateCheckModel.Part part = method.parts().get(i);
            if (i > 0) {
                body.add("\n&& ");
            }
            switch (part.kind()) {
                case CONTAINER -> body.add("$T.$L(value.$L())", IMMUTABLE_VALUES, test, part.accessor());
                case LIST_OF, MAP_OF -> body.add("$T.$L(value.$L())\n&& $T.$L(value.$L(), element -> $L(element))",
                        IMMUTABLE_VALUES, test, part.accessor(), IMMUTABLE_VALUES,
                        part.kind() == StateCheckModel.Kind.LIST_OF ? "allMatch" : "allValuesMatch", part.accessor(),
                        name);
                case NESTED -> body.add("$L(value.$L())", name, part.accessor());
                case SUBTYPE -> {
                    body.add("(!(value instanceof $T v$L) || $L(v$L))", part.subtype(), variable, name,
                            variable);
                    variable++;
                }
                default -> throw new IllegalStateException(part.kind().toString());
            }
        }
        type.addMethod(MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(boolean.class)
                .addParameter(method.type(), "value")
                .addStatement(body.build())
                .build());
    }

    /**
     * {@code copy(T value)}: a record built again from its components, its collections copied
     * ({@code ImmutableValues.copy}) and its records and sealed types copied in turn; a sealed type's value copied as
     * its permitted subtype, or returned as it is when that subtype holds nothing to copy.
     */
    private static void addCopy(TypeSpec.Builder type, StateCheckModel.Method method) {
        MethodSpec.Builder copy = MethodSpec.methodBuilder("copy")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(method.type())
                .addParameter(method.type(), "value");
        if (!method.components().isEmpty()) {
            CodeBlock.Builder arguments = CodeBlock.builder();
            for (int i = 0; i < method.components().size(); i++) {
                String accessor = method.components().get(i);
                StateCheckModel.Part part = method.part(accessor);
                if (i > 0) {
                    arguments.add(",\n");
                }
                if (part == null) {
                    arguments.add("value.$L()", accessor);
                } else if (part.kind() == StateCheckModel.Kind.CONTAINER) {
                    arguments.add("$T.copy(value.$L())", IMMUTABLE_VALUES, accessor);
                } else if (part.kind() == StateCheckModel.Kind.LIST_OF || part.kind() == StateCheckModel.Kind.MAP_OF) {
                    arguments.add("$T.$L(value.$L(), element -> copy(element))", IMMUTABLE_VALUES,
                            part.kind() == StateCheckModel.Kind.LIST_OF ? "copy" : "copyValues", accessor);
                } else {
                    arguments.add("copy(value.$L())", accessor);
                }
            }
            copy.addStatement("return value == null ? null : new $T(\n$L)", method.type(), arguments.build());
        } else {
            int variable = 0;
            for (StateCheckModel.Part part : method.parts()) {
                copy.beginControlFlow("if (value instanceof $T v$L)", part.subtype(), variable)
                        .addStatement("return copy(v$L)", variable)
                        .endControlFlow();
                variable++;
            }
            copy.addStatement("return value");
        }
        type.addMethod(copy.build());
    }

    private static CodeBlock streamId(DeciderModel model, RouteModel route) {
        CodeBlock value;
        if (route.accessor() != null) {
            if (route.isString()) {
                return CodeBlock.of("$T::$L", route.command(), route.accessor());
            }
            value = CodeBlock.of("c.$L()", route.accessor());
        } else if (route.deciderMethod().isStatic()) {
            if (route.isString()) {
                return CodeBlock.of("$T::$L", model.source(), route.deciderMethod().name());
            }
            value = CodeBlock.of("$T.$L(c)", model.source(), route.deciderMethod().name());
        } else {
            value = CodeBlock.of("decider.target.$L(c)", route.deciderMethod().name());
            if (route.isString()) {
                return CodeBlock.of("($T c) -> $L", route.command(), value);
            }
        }
        return CodeBlock.of("($T c) -> $T.toString($L, null)", route.command(), OBJECTS, value);
    }

    private static CodeBlock receiver(DeciderModel model, Call call) {
        return call.isStatic()
                ? CodeBlock.of("$T.$L", model.source(), call.name())
                : CodeBlock.of("target.$L", call.name());
    }

    /** {@code query(command)} (the items with the command's tag values) and {@code eventType()}. */
    private static void writeBoundary(DeciderModel model, TypeSpec.Builder type) {
        DcbModel boundary = model.dcb();
        MethodSpec.Builder query = MethodSpec.methodBuilder("query")
                .addJavadoc("The boundary of {@code command}: the events its decision is folded from and guarded by.\n")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(QUERY)
                .addParameter(model.command(), "command")
                .addStatement("$T.requireNonNull(command, $S)", OBJECTS, "command");
        boolean catchAll = false;
        for (DcbModel.Binding binding : boundary.bindings()) {
            catchAll = binding.command().equals(model.command());
            if (catchAll) {
                query.addStatement("$T c = command", binding.command());
            } else {
                query.beginControlFlow("if (command instanceof $T c)", binding.command());
            }
            CodeBlock.Builder items = CodeBlock.builder().add("return $T.of(\n", QUERY).indent().indent();
            for (int i = 0; i < boundary.items().size(); i++) {
                DcbModel.Item item = boundary.items().get(i);
                CodeBlock types = item.types().isEmpty() ? CodeBlock.of("$T.of()", LIST)
                        : CodeBlock.of("$T.of($L)", LIST, item.types().stream().map(t -> CodeBlock.of("$S", t))
                                .collect(CodeBlock.joining(", ")));
                CodeBlock tags = item.prefixes().isEmpty() ? CodeBlock.of("$T.of()", LIST)
                        : CodeBlock.of("$T.of($L)", LIST, item.prefixes().stream()
                                .map(p -> CodeBlock.of("$T.of($S, c.$N())", TAG, p, binding.accessors().get(p)))
                                .collect(CodeBlock.joining(", ")));
                items.add("new $T($L, $L)$L\n", QUERY_ITEM, types, tags,
                        i + 1 < boundary.items().size() ? "," : ");");
            }
            query.addCode(items.unindent().unindent().build());
            if (catchAll) {
                break;
            }
            query.endControlFlow();
        }
        if (!catchAll) {
            query.addStatement("throw new $T($S + command.getClass().getName() + $S)", UNKNOWN_COMMAND,
                    model.source().simpleName() + " has no @Decide method for command ",
                    ". Add one, or send the command to the decider that handles it.");
        }
        type.addMethod(query.build());
        TypeName eventClass = ParameterizedTypeName.get(ClassName.get(Class.class), model.event());
        type.addMethod(MethodSpec.methodBuilder("eventType")
                .addJavadoc("The event type; boundary events of other types are not folded.\n")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(eventClass)
                .addStatement("return $T.class", model.event())
                .build());
    }
}

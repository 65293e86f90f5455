package dev.eskit.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.eskit.processor.model.HandleModel;
import dev.eskit.processor.model.ProjectionModel;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.lang.model.element.Modifier;

/** Writes {@code <Name>Handlers}: a projection's dispatch table, a {@code dev.eskit.projection.ProjectionHandler}. */
public final class ProjectionWriter {

    private static final ClassName HANDLER = ClassName.get("dev.eskit.projection", "ProjectionHandler");
    private static final ClassName STORED_EVENT = ClassName.get("dev.eskit", "StoredEvent");

    /** The dispatch table file for {@code model}. */
    public JavaFile write(ProjectionModel model) {
        TypeName setOfStrings = ParameterizedTypeName.get(Set.class, String.class);
        // Aliases too: events stored under a former name keep it, and a store-side filter must not skip them.
        List<String> names = model.handles().stream()
                .flatMap(h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h.wireName()),
                        h.aliases().stream()))
                .sorted().distinct().toList();
        CodeBlock eventTypes = CodeBlock.of("$T.of($L)", Set.class,
                names.stream().map(n -> CodeBlock.of("$S", n)).collect(CodeBlock.joining(", ")));
        TypeSpec.Builder type = TypeSpec.classBuilder(model.handlersClass())
                .addJavadoc("Dispatches stored events to the {@code @Handle} methods of {@link $T} (projection"
                        + " {@code $L}).\n\n<p>Events of other types are ignored.\n", model.source(), model.name())
                .addAnnotation(WriteSupport.generated())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(HANDLER)
                .addOriginatingElement(model.origin())
                .addField(FieldSpec.builder(String.class, "NAME", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("The projection's name.\n")
                        .initializer("$S", model.name())
                        .build())
                .addField(FieldSpec.builder(setOfStrings, "EVENT_TYPES", Modifier.PUBLIC, Modifier.STATIC,
                                Modifier.FINAL)
                        .addJavadoc("The wire names (and aliases) of the events this projection handles.\n")
                        .initializer(eventTypes)
                        .build());
        if (model.needsTarget()) {
            type.addField(model.source(), "target", Modifier.PRIVATE, Modifier.FINAL)
                    .addMethod(MethodSpec.constructorBuilder()
                            .addJavadoc("A table that calls the methods of {@code target}.\n")
                            .addModifiers(Modifier.PUBLIC)
                            .addParameter(model.source(), "target")
                            .addStatement("this.target = $T.requireNonNull(target, $S)", Objects.class, "target")
                            .build());
        } else {
            type.addMethod(MethodSpec.constructorBuilder()
                    .addJavadoc("Creates the table; the handler methods are static.\n")
                    .addModifiers(Modifier.PUBLIC)
                    .build());
        }
        type.addMethod(MethodSpec.methodBuilder("name")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(String.class)
                        .addStatement("return NAME")
                        .build())
                .addMethod(MethodSpec.methodBuilder("eventTypes")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(setOfStrings)
                        .addStatement("return EVENT_TYPES")
                        .build());
        MethodSpec.Builder handle = MethodSpec.methodBuilder("handle")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(ParameterizedTypeName.get(STORED_EVENT, WildcardTypeName.subtypeOf(Object.class)),
                        "event")
                .addStatement("Object data = event.data()");
        for (int i = 0; i < model.handles().size(); i++) {
            HandleModel h = model.handles().get(i);
            CodeBlock receiver = h.call().isStatic()
                    ? CodeBlock.of("$T.$L", model.source(), h.call().name())
                    : CodeBlock.of("target.$L", h.call().name());
            if (i == 0) {
                handle.beginControlFlow("if (data instanceof $T e)", h.event());
            } else {
                handle.nextControlFlow("else if (data instanceof $T e)", h.event());
            }
            if (h.withStored()) {
                handle.addStatement("$L(e, event.as($T.class))", receiver, h.event());
            } else {
                handle.addStatement("$L(e)", receiver);
            }
        }
        if (!model.handles().isEmpty()) {
            handle.endControlFlow();
        }
        type.addMethod(handle.build());
        return WriteSupport.file(model.handlersClass().packageName(), type.build(), model.source().canonicalName());
    }
}

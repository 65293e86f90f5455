package dev.eskit.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.eskit.processor.model.ProjectionModel;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code <Name>Spec} for a {@code @Projection}: a typed Given/Then fixture over
 * {@code dev.eskit.testing.ProjectionSpec} that runs the events through the generated {@code <Name>Handlers}.
 */
public final class ProjectionSpecWriter {

    private static final ClassName PROJECTION_SPEC = ClassName.get("dev.eskit.testing", "ProjectionSpec");
    private static final ClassName REGISTRY = ClassName.get("dev.eskit.codec", "EventTypeRegistry");

    /** The fixture class of {@code model}: {@code BalancesSpec} next to {@code BalancesHandlers}. */
    public static ClassName specClass(ProjectionModel model) {
        String handlers = model.handlersClass().simpleName();
        return ClassName.get(model.handlersClass().packageName(),
                handlers.substring(0, handlers.length() - "Handlers".length()) + "Spec");
    }

    /** The fixture file for {@code model}. */
    public JavaFile write(ProjectionModel model) {
        ClassName self = specClass(model);
        TypeName spec = ParameterizedTypeName.get(PROJECTION_SPEC, model.source());
        CodeBlock handlers = model.needsTarget()
                ? CodeBlock.of("new $T(projection)", model.handlersClass())
                : CodeBlock.of("new $T()", model.handlersClass());
        String example = self.simpleName() + ".of(new " + model.source().simpleName()
                + "()).given(...).thenQuery(p -> ..., expected)";
        TypeSpec type = TypeSpec.classBuilder(self)
                .addJavadoc("Given/Then scenarios for the projection {@link $T}: given events, run through {@link $T}"
                        + " as a\nsubscription would, then its state or the answers of its queries.\n"
                        + "\n<pre>{@code\n$L;\n}</pre>\n", model.source(), model.handlersClass(), example)
                .addAnnotation(WriteSupport.generated())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addOriginatingElement(model.origin())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethod(MethodSpec.methodBuilder("of")
                        .addJavadoc("A fixture for {@code projection}, with the event types on the class path.\n")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addParameter(model.source(), "projection")
                        .returns(spec)
                        .addStatement("return $T.of(projection, $L)", PROJECTION_SPEC, handlers)
                        .build())
                .addMethod(MethodSpec.methodBuilder("of")
                        .addJavadoc("A fixture for {@code projection}, with the event types of {@code registry}.\n")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addParameter(model.source(), "projection")
                        .addParameter(REGISTRY, "registry")
                        .returns(spec)
                        .addStatement("return $T.of(projection, $L, registry)", PROJECTION_SPEC, handlers)
                        .build())
                .build();
        return WriteSupport.file(self.packageName(), type, model.source().canonicalName());
    }
}

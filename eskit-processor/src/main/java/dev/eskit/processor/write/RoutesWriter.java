package dev.eskit.processor.write;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.eskit.processor.model.DeciderModel;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code <Name>Decider_Routes}: a {@code CommandRouteRegistry} listed in {@code META-INF/services}, so that
 * framework integrations find every generated route without scanning classes.
 */
public final class RoutesWriter {

    private static final ClassName REGISTRY = ClassName.get("dev.eskit.command", "CommandRouteRegistry");
    private static final ClassName ROUTE = ClassName.get("dev.eskit.command", "CommandRoute");
    private static final ClassName LIST = ClassName.get(List.class);

    /** The name of the registry class for {@code model}. */
    public static ClassName className(DeciderModel model) {
        return model.deciderClass().peerClass(model.deciderClass().simpleName() + "_Routes");
    }

    /** The registry file for a stream decider. */
    public JavaFile write(DeciderModel model) {
        WildcardTypeName any = WildcardTypeName.subtypeOf(Object.class);
        TypeSpec type = TypeSpec.classBuilder(className(model))
                .addJavadoc("The command routes of {@code $T}, found through\n"
                        + "{@code META-INF/services/dev.eskit.command.CommandRouteRegistry}.\n", model.deciderClass())
                .addAnnotation(WriteSupport.generated())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(REGISTRY)
                .addMethod(MethodSpec.constructorBuilder()
                        .addJavadoc("Creates the registry; {@code ServiceLoader} calls this.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .build())
                .addMethod(MethodSpec.methodBuilder("routes")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(ParameterizedTypeName.get(LIST, ParameterizedTypeName.get(ROUTE, any, any, any)))
                        .addStatement("return $T.copyOf($T.routes())", LIST, model.deciderClass())
                        .build())
                .build();
        return WriteSupport.file(model.deciderClass().packageName(), type, model.source().canonicalName());
    }
}

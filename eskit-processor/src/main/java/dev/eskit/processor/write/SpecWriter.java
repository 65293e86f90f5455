package dev.eskit.processor.write;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import dev.eskit.processor.model.DeciderModel;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Writes {@code <Name>Spec}: a typed Given/When/Then fixture over {@code dev.eskit.testing.DeciderSpec}. */
public final class SpecWriter {

    private static final ClassName DECIDER_SPEC = ClassName.get("dev.eskit.testing", "DeciderSpec");
    private static final ClassName DCB_DECIDER_SPEC = ClassName.get("dev.eskit.testing", "DcbDeciderSpec");
    private static final ClassName REGISTRY = ClassName.get("dev.eskit.codec", "EventTypeRegistry");

    /** The fixture file for {@code model}. */
    public JavaFile write(DeciderModel model) {
        TypeName[] types = {model.state(), model.command(), model.event()};
        // A DCB decision sees only the given events its query matches, as it would in a store.
        boolean dcb = model.dcb() != null;
        ClassName fixture = dcb ? DCB_DECIDER_SPEC : DECIDER_SPEC;
        TypeName spec = ParameterizedTypeName.get(fixture, types);
        TypeName given = ParameterizedTypeName.get(DECIDER_SPEC.nestedClass("Given"), types);
        TypeName outcome = ParameterizedTypeName.get(DECIDER_SPEC.nestedClass("Outcome"), types);
        String example = model.specClass().simpleName() + ".given(...).when(...).then(...)";
        TypeSpec.Builder builder = TypeSpec.classBuilder(model.specClass())
                .addJavadoc("Given/When/Then scenarios for {@link $T}, typed with its state, command and event types.\n"
                        + "\n<pre>{@code\n$L;\n}</pre>\n"
                        + "\n<p>A failed expectation throws an {@link AssertionError} that shows expected and actual"
                        + " events; no test\nframework is needed at run time.\n", model.source(), example)
                .addJavadoc(dcb ? "\n<p>Like a store, each decision sees only the given events that the query of its"
                        + " command matches.\n" : "")
                .addAnnotation(WriteSupport.generated())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addOriginatingElement(model.origin())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethod(MethodSpec.methodBuilder("given")
                        .addJavadoc("Starts from these past events.\n")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .varargs(true)
                        .addParameter(ArrayTypeName.of(model.event()), "events")
                        .returns(given)
                        .addStatement("return $T.of(new $T()).given($T.of(events))", fixture,
                                model.deciderClass(), List.class)
                        .build())
                .addMethod(MethodSpec.methodBuilder("given")
                        .addJavadoc("Starts from these past events.\n")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addParameter(ParameterizedTypeName.get(ClassName.get(List.class),
                                WildcardTypeName.subtypeOf(model.event())), "events")
                        .returns(given)
                        .addStatement("return $T.of(new $T()).given(events)", fixture, model.deciderClass())
                        .build())
                .addMethod(MethodSpec.methodBuilder("when")
                        .addJavadoc(dcb ? "Decides {@code command} with no past events.\n"
                                : "Decides {@code command} on a stream with no events.\n")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addParameter(model.command(), "command")
                        .returns(outcome)
                        .addStatement("return $T.of(new $T()).when(command)", fixture, model.deciderClass())
                        .build())
                .addMethod(MethodSpec.methodBuilder("of")
                        .addJavadoc("A fixture for a decider you created yourself.\n")
                        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                        .addParameter(model.deciderClass(), "decider")
                        .returns(spec)
                        .addStatement("return $T.of(decider)", fixture)
                        .build());
        if (dcb) {
            builder.addMethod(MethodSpec.methodBuilder("of")
                    .addJavadoc("A fixture whose events' wire names and tags come from {@code registry}.\n")
                    .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                    .addParameter(model.deciderClass(), "decider")
                    .addParameter(REGISTRY, "registry")
                    .returns(spec)
                    .addStatement("return $T.of(decider, registry)", fixture)
                    .build());
        }
        TypeSpec type = builder.build();
        return WriteSupport.file(model.specClass().packageName(), type, model.source().canonicalName());
    }
}

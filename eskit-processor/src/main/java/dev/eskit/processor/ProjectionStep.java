package dev.eskit.processor;

import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Projection;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.ProjectionModel;
import dev.eskit.processor.read.ProjectionReader;
import dev.eskit.processor.write.ProjectionSpecWriter;
import dev.eskit.processor.write.ProjectionWriter;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;

/** {@code @Projection}: writes {@code <Name>Handlers} for each projection class. */
final class ProjectionStep {

    private final EskitContext context;
    private final Steps steps;
    private final ProjectionReader reader;
    private final ProjectionWriter writer = new ProjectionWriter();
    private final ProjectionSpecWriter specWriter = new ProjectionSpecWriter();
    private final Map<String, String> deferred = new TreeMap<>();
    private final Map<String, ExecutableElement> commands = new TreeMap<>();

    ProjectionStep(EskitContext context, Steps steps) {
        this.context = context;
        this.steps = steps;
        this.reader = new ProjectionReader(context);
    }

    void process(RoundEnvironment round, Collection<String> knownEvents) {
        for (Element element : round.getElementsAnnotatedWith(Decide.class)) {
            // Commands seen so far, so that a projection handling one by mistake is told to handle its event.
            if (element instanceof ExecutableElement method && !method.getParameters().isEmpty()
                    && method.getParameters().get(method.getParameters().size() - 1).asType()
                            instanceof DeclaredType command) {
                commands.putIfAbsent(((TypeElement) command.asElement()).getQualifiedName().toString(), method);
            }
        }
        for (TypeElement type : steps.types(round.getElementsAnnotatedWith(Projection.class), deferred)) {
            steps.run(type, deferred, t -> {
                ProjectionModel model = reader.read(t, knownEvents, commands);
                if (model != null) {
                    steps.write(writer.write(model), t);
                    steps.write(specWriter.write(model), t);
                }
            });
        }
    }

    /** Reports the projections still waiting for a type after the last round. */
    void reportDeferred() {
        deferred.forEach((name, missing) -> {
            TypeElement type = context.elements().getTypeElement(name);
            if (type != null) {
                context.diagnostics().report(Message.TYPE_UNRESOLVED, type, name, missing);
            }
        });
        deferred.clear();
    }
}

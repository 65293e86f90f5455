package dev.eskit.processor;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decider;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.DeciderModel;
import dev.eskit.processor.read.DeciderReader;
import dev.eskit.processor.write.DeciderWriter;
import dev.eskit.processor.write.RoutesWriter;
import dev.eskit.processor.write.SpecWriter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.TypeElement;

/**
 * {@code @Decider} and {@code @DcbDecider}: writes {@code <Name>Decider} and {@code <Name>Spec} for each decider
 * class.
 */
final class DeciderStep {

    private final EskitContext context;
    private final Steps steps;
    private final DeciderReader reader;
    private final DeciderWriter deciderWriter = new DeciderWriter();
    private final SpecWriter specWriter = new SpecWriter();
    private final RoutesWriter routesWriter = new RoutesWriter();
    private final Set<String> routeRegistries = new TreeSet<>();
    private final Map<String, String> deferred = new TreeMap<>();

    private final CodecStep codecs;
    private final CommandTypeStep commandTypes;

    DeciderStep(EskitContext context, Steps steps, CodecStep codecs, CommandTypeStep commandTypes) {
        this.context = context;
        this.codecs = codecs;
        this.commandTypes = commandTypes;
        this.steps = steps;
        this.reader = new DeciderReader(context);
    }

    void process(RoundEnvironment round) {
        for (TypeElement type : steps.types(round.getElementsAnnotatedWith(Decider.class), deferred)) {
            steps.run(type, deferred, t -> {
                DeciderModel model = reader.read(t);
                if (model != null) {
                    commandTypes.decider(model, codecs.decider(model), t);
                    steps.write(deciderWriter.write(model), t);
                    steps.write(specWriter.write(model), t);
                    steps.write(routesWriter.write(model), t);
                    routeRegistries.add(RoutesWriter.className(model).canonicalName());
                }
            });
        }
        for (TypeElement type : steps.types(round.getElementsAnnotatedWith(DcbDecider.class), deferred)) {
            steps.run(type, deferred, t -> {
                DeciderModel model = reader.readDcb(t);
                if (model != null) {
                    commandTypes.decider(model, codecs.decider(model), t);
                    steps.write(deciderWriter.write(model), t);
                    steps.write(specWriter.write(model), t);
                }
            });
        }
    }

    /** The generated {@code CommandRouteRegistry} classes, for {@code META-INF/services}. */
    Set<String> routeRegistries() {
        return routeRegistries;
    }

    /** Reports the deciders still waiting for a type after the last round. */
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

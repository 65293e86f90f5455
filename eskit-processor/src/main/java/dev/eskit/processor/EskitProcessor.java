package dev.eskit.processor;

import com.google.auto.service.AutoService;
import dev.eskit.annotations.Command;
import dev.eskit.annotations.CommandUpcast;
import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Decider;
import dev.eskit.annotations.Event;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.Handle;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.Projection;
import dev.eskit.annotations.StreamId;
import dev.eskit.annotations.Tag;
import dev.eskit.annotations.Upcast;
import dev.eskit.processor.diag.Diagnostics;
import dev.eskit.processor.diag.Message;
import java.io.IOException;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The eskit annotation processor: reads {@code @Event}, {@code @Decider}, {@code @DcbDecider} and {@code @Projection}
 * types and generates event-type registries (with tag extractors), deciders with command routes or DCB queries, Given/When/Then fixtures and projection dispatch tables, and
 * fails the build on mistakes. Put {@code eskit-processor} on the annotation processor path; see
 * {@code docs/annotations.md}.
 */
@AutoService(Processor.class)
public final class EskitProcessor extends AbstractProcessor {

    private static final Set<Class<? extends Annotation>> ANNOTATIONS = Set.of(Event.class, Decider.class,
            InitialState.class, Decide.class, Evolve.class, StreamId.class, Projection.class, Handle.class,
            Upcast.class, DcbDecider.class, Tag.class, Command.class, CommandUpcast.class);

    private final Consumer<TypeElement> beforeType;
    private EskitContext context;
    private EventStep events;
    private DeciderStep deciders;
    private ProjectionStep projections;
    private UpcastStep upcasts;
    private SchemaLockStep lock;
    private CodecStep codecs;
    private CommandTypeStep commandTypes;
    private boolean servicesWritten;

    /** The processor javac creates through {@code ServiceLoader}. */
    public EskitProcessor() {
        this(type -> {
        });
    }

    /** A processor that runs {@code beforeType} before each type (the processor's own tests use it). */
    EskitProcessor(Consumer<TypeElement> beforeType) {
        this.beforeType = beforeType;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return ANNOTATIONS.stream().map(Class::getCanonicalName).collect(Collectors.toSet());
    }

    /**
     * {@code eskit.schemaLock} (the schema lock file, or {@code none}) and {@code eskit.acceptSchemaChanges}
     * ({@code true} rewrites the lock with changed shapes); see {@code docs/schema-evolution.md}.
     */
    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(SchemaLockStep.PATH_OPTION, SchemaLockStep.ACCEPT_OPTION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public synchronized void init(ProcessingEnvironment environment) {
        super.init(environment);
        context = new EskitContext(environment.getElementUtils(), environment.getTypeUtils(),
                environment.getFiler(), new Diagnostics(environment.getMessager()));
        Steps steps = new Steps(context, beforeType);
        upcasts = new UpcastStep(context);
        lock = new SchemaLockStep(context, environment.getOptions());
        codecs = new CodecStep(context, steps);
        events = new EventStep(context, steps, upcasts, lock, codecs);
        EventStep eventStep = events;
        commandTypes = new CommandTypeStep(context, steps, eventStep::wireNameOwner, lock);
        deciders = new DeciderStep(context, steps, codecs, commandTypes);
        projections = new ProjectionStep(context, steps);
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        if (round.processingOver()) {
            deciders.reportDeferred();
            projections.reportDeferred();
            upcasts.reportDeferred();
            commandTypes.reportUnused();
            lock.finish();
            writeServices();
            NativeImageConfig.write(context, codecs.reflective());
            return false;
        }
        events.process(round);
        commandTypes.collect(round);
        deciders.process(round);
        commandTypes.flush();
        codecs.flush();
        projections.process(round, events.eventSimpleNames());
        checkHandlersOutside(round);
        return false;
    }

    private void checkHandlersOutside(RoundEnvironment round) {
        for (Class<? extends Annotation> handler : Set.of(InitialState.class, Decide.class, Evolve.class)) {
            outside(round, handler, Decider.class);
        }
        outside(round, Handle.class, Projection.class);
    }

    private void outside(RoundEnvironment round, Class<? extends Annotation> handler,
                         Class<? extends Annotation> owner) {
        for (Element method : round.getElementsAnnotatedWith(handler)) {
            Element enclosing = method.getEnclosingElement();
            // A @DcbDecider class holds decider handlers as well.
            boolean dcb = owner == Decider.class && enclosing.getAnnotation(DcbDecider.class) != null;
            if (enclosing.getAnnotation(owner) == null && !dcb) {
                context.diagnostics().report(Message.HANDLER_OUTSIDE, method, handler.getSimpleName(),
                        owner.getSimpleName(), method.getSimpleName(), enclosing.getSimpleName(),
                        enclosing.getSimpleName(), owner.getSimpleName());
            }
        }
    }

    private void writeServices() {
        if (servicesWritten) {
            return;
        }
        servicesWritten = true;
        writeServices(ServicesFile.PATH, events.registries());
        Set<String> personal = new java.util.TreeSet<>(events.personalRegistries());
        personal.addAll(commandTypes.personalRegistries());
        writeServices(ServicesFile.PERSONAL_DATA_PATH, personal);
        writeServices(ServicesFile.COMMAND_TYPES_PATH, commandTypes.registries());
        writeServices(ServicesFile.ROUTES_PATH, deciders.routeRegistries());
    }

    private void writeServices(String path, Set<String> registries) {
        if (registries.isEmpty()) {
            return;
        }
        String existing = null;
        try {
            FileObject old = processingEnv.getFiler().getResource(StandardLocation.CLASS_OUTPUT, "",
                    path);
            existing = old.getCharContent(true).toString();
        } catch (IOException | IllegalArgumentException missing) {
            // No file from an earlier compilation: this compilation's registries are the whole list.
        }
        Set<String> entries = ServicesFile.merge(existing, registries,
                name -> registries.contains(name) || context.elements().getTypeElement(name) != null);
        try {
            Element[] origins = registries.stream()
                    .map(name -> context.elements().getTypeElement(name))
                    .filter(e -> e != null)
                    .toArray(Element[]::new);
            FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT, "",
                    path, origins);
            try (Writer writer = file.openWriter()) {
                writer.write(ServicesFile.render(entries));
            }
        } catch (IOException failure) {
            Element on = Stream.of(registries.iterator().next())
                    .map(name -> (Element) context.elements().getTypeElement(name))
                    .findFirst().orElse(null);
            context.diagnostics().internal(on, failure);
        }
    }
}

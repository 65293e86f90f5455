package dev.eskit.processor;

import dev.eskit.annotations.Event;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.lock.SchemaLock;
import dev.eskit.processor.model.EventModel;
import dev.eskit.processor.model.EventShape;
import dev.eskit.processor.read.ShapeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.StandardLocation;

/**
 * The schema lock: records the shape of every event of the compilation in a file kept with the sources, and fails
 * the build when a shape changed while the version did not. Runs once, after the last round.
 */
final class SchemaLockStep {

    /** Processor option: the lock file ({@code none} turns the check off). */
    static final String PATH_OPTION = "eskit.schemaLock";
    /** Processor option: {@code true} accepts changed shapes and rewrites the lock. */
    static final String ACCEPT_OPTION = "eskit.acceptSchemaChanges";
    /** Where the lock goes under {@code src/<source set>/resources}. */
    static final String RESOURCE = "META-INF/eskit/schema.lock";

    private record Current(EventModel model, EventShape shape, boolean chainComplete) {
    }

    private final EskitContext context;
    private final Map<String, String> options;
    private final ShapeReader shapes;
    private final List<Current> current = new ArrayList<>();
    private final List<CommandShape> commands = new ArrayList<>();
    private boolean finished;

    SchemaLockStep(EskitContext context, Map<String, String> options) {
        this.context = context;
        this.options = options;
        this.shapes = new ShapeReader(context);
    }

    /** Records an event built this round; {@code chainComplete} says whether a raised version may be locked. */
    void record(EventModel model, TypeElement type, boolean chainComplete) {
        current.add(new Current(model, shapes.read(model, type), chainComplete));
    }

    /** A command of a decider: its shape, the record, whether every older version has an upcaster. */
    private record CommandShape(EventShape shape, TypeElement origin, boolean chainComplete) {
    }

    /** Records a command of a decider built this round, under its wire name and version. */
    void recordCommand(String wireName, int version, TypeElement type, boolean chainComplete) {
        commands.add(new CommandShape(shapes.read(wireName, version, type.getQualifiedName().toString(), type), type,
                chainComplete));
    }

    private Element firstOrigin() {
        return current.isEmpty() ? commands.get(0).origin() : current.get(0).model().origin();
    }

    /** Compares the events and commands with the lock, reports what changed, and writes the updated lock. */
    void finish() {
        if (finished || (current.isEmpty() && commands.isEmpty())) {
            return;
        }
        finished = true;
        Path file = location();
        if (file == null) {
            return;
        }
        String before = null;
        SchemaLock old = SchemaLock.of(List.of());
        if (Files.exists(file)) {
            try {
                before = Files.readString(file, StandardCharsets.UTF_8);
                old = SchemaLock.parse(before);
            } catch (IOException e) {
                unusable(file, "cannot be read (" + e + ")", "Check that the file is readable.");
                return;
            } catch (SchemaLock.InvalidLockException e) {
                unusable(file, "cannot be parsed: " + e.getMessage(), "Resolve merge conflicts in it, or delete"
                        + " it and compile again to record every event as it is now.");
                return;
            }
        }
        String after = reconcile(old, file).render();
        copyToClassOutput(after);
        if (after.equals(before)) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, after, StandardCharsets.UTF_8);
        } catch (IOException e) {
            unusable(file, "cannot be written (" + e + ")", "Check that its directory is writable, or point"
                    + " -A" + PATH_OPTION + " elsewhere.");
        }
    }

    /**
     * Puts the lock into the class output too ({@code META-INF/eskit/schema.lock}), so that the jar carries the shapes
     * of this build even when the build tool copied the resources before the processor updated the lock.
     */
    private void copyToClassOutput(String text) {
        try {
            javax.tools.FileObject copy = context.filer().createResource(StandardLocation.CLASS_OUTPUT, "", RESOURCE,
                    java.util.stream.Stream.concat(current.stream().map(c -> c.model().origin()),
                            commands.stream().map(CommandShape::origin)).toArray(Element[]::new));
            try (java.io.Writer writer = copy.openWriter()) {
                writer.write(text);
            }
        } catch (IOException e) {
            unusable(Paths.get(RESOURCE), "cannot be copied to the class output (" + e + ")",
                    "Check that the class output directory is writable.");
        }
    }

    private SchemaLock reconcile(SchemaLock old, Path file) {
        boolean accept = "true".equalsIgnoreCase(options.get(ACCEPT_OPTION));
        Map<String, EventShape> locked = old.events();
        TreeMap<String, EventShape> next = new TreeMap<>(locked);
        Set<String> claimed = new HashSet<>();
        Set<String> classes = new HashSet<>();
        for (Current c : current) {
            claimed.add(c.model().wireName());
            claimed.addAll(c.model().aliases());
            classes.add(c.shape().className());
        }
        List<Current> sorted = new ArrayList<>(current);
        sorted.sort(Comparator.comparing(c -> c.model().wireName()));
        for (Current c : sorted) {
            EventModel model = c.model();
            EventShape shape = c.shape();
            EventShape prior = locked.get(model.wireName());
            for (int i = 0; prior == null && i < model.aliases().size(); i++) {
                prior = locked.get(model.aliases().get(i));
            }
            if (prior == null) {
                EventShape renamed = locked.values().stream()
                        .filter(e -> e.className().equals(shape.className()) && !claimed.contains(e.wireName()))
                        .findFirst().orElse(null);
                if (renamed != null) {
                    if (!accept) {
                        report(Message.SCHEMA_NAME_CHANGED, model, model.type().canonicalName(), model.wireName(),
                                file, renamed.wireName(), renamed.wireName());
                        continue;
                    }
                    accepted(model, "renamed from \"" + renamed.wireName() + "\" without an alias", file);
                    next.remove(renamed.wireName());
                }
            } else if (prior.version() == model.version()) {
                List<String> changes = SchemaLock.changes(prior, shape);
                if (!changes.isEmpty()) {
                    if (!accept) {
                        report(Message.SCHEMA_CHANGED, model, model.wireName(), model.version(), file,
                                String.join("; ", changes), model.version() + 1,
                                String.join(".", model.type().simpleNames()), model.version());
                        continue;
                    }
                    accepted(model, String.join("; ", changes), file);
                }
            } else if (prior.version() > model.version()) {
                if (!accept) {
                    report(Message.SCHEMA_VERSION_LOWERED, model, model.wireName(), model.version(), file,
                            prior.version(), prior.version());
                    continue;
                }
                accepted(model, "version lowered from " + prior.version() + " to " + model.version(), file);
            } else if (!c.chainComplete()) {
                continue; // the gap is reported; the lock keeps the old version until the chain is complete
            }
            model.aliases().forEach(next::remove);
            next.put(model.wireName(), shape);
        }
        // Events that are not in this compilation stay while their class still exists (an incremental build);
        // the entries of deleted events go.
        for (EventShape entry : locked.values()) {
            if (claimed.contains(entry.wireName()) || classes.contains(entry.className())) {
                continue;
            }
            TypeElement type = context.elements().getTypeElement(entry.className());
            if (type == null || !hasEvent(type)) {
                next.remove(entry.wireName());
            }
        }
        return SchemaLock.of(next.values(), commands(old, file, accept));
    }

    /** The command entries of the new lock; reports commands whose shape changed without a new version. */
    private java.util.Collection<EventShape> commands(SchemaLock old, Path file, boolean accept) {
        Map<String, EventShape> locked = old.commands();
        TreeMap<String, EventShape> next = new TreeMap<>(locked);
        Set<String> names = new HashSet<>();
        Set<String> classes = new HashSet<>();
        for (CommandShape c : commands) {
            names.add(c.shape().wireName());
            classes.add(c.shape().className());
        }
        for (CommandShape c : commands) {
            EventShape shape = c.shape();
            EventShape prior = locked.get(shape.wireName());
            if (prior != null && prior.version() == shape.version()) {
                List<String> changes = SchemaLock.changes(prior, shape);
                if (!changes.isEmpty()) {
                    if (!accept) {
                        context.diagnostics().report(Message.COMMAND_SCHEMA_CHANGED, c.origin(), mirror(c.origin()),
                                shape.wireName(), shape.version(), file, String.join("; ", changes),
                                shape.version() + 1, c.origin().getSimpleName(), shape.version());
                        continue;
                    }
                    context.diagnostics().report(Message.SCHEMA_ACCEPTED, c.origin(), mirror(c.origin()),
                            shape.wireName(), String.join("; ", changes), file);
                }
            } else if (prior != null && prior.version() > shape.version()) {
                if (!accept) {
                    context.diagnostics().report(Message.SCHEMA_VERSION_LOWERED, c.origin(), mirror(c.origin()),
                            shape.wireName(), shape.version(), file, prior.version(), prior.version());
                    continue;
                }
            } else if (prior != null && !c.chainComplete()) {
                continue; // the missing upcaster is reported; the lock keeps the old version meanwhile
            }
            next.put(shape.wireName(), shape);
        }
        // Commands renamed in this compilation, and those whose class is gone, leave the lock.
        for (EventShape entry : locked.values()) {
            if (!names.contains(entry.wireName()) && (classes.contains(entry.className())
                    || context.elements().getTypeElement(entry.className()) == null)) {
                next.remove(entry.wireName());
            }
        }
        return next.values();
    }

    private static boolean hasEvent(TypeElement type) {
        for (AnnotationMirror mirror : type.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(Event.class.getCanonicalName())) {
                return true;
            }
        }
        return false;
    }

    private void report(Message message, EventModel model, Object... args) {
        Element origin = model.origin();
        context.diagnostics().report(message, origin, mirror(origin), args);
    }

    private void accepted(EventModel model, String what, Path file) {
        report(Message.SCHEMA_ACCEPTED, model, model.wireName(), what, file);
    }

    private void unusable(Path file, String problem, String fix) {
        context.diagnostics().report(Message.SCHEMA_LOCK_UNUSABLE, firstOrigin(), file, problem,
                fix);
    }

    private static AnnotationMirror mirror(Element element) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(Event.class.getCanonicalName())) {
                return mirror;
            }
        }
        return null;
    }

    /**
     * The lock file: {@code -Aeskit.schemaLock} (a relative path is taken from the working directory, so build files
     * pass an absolute one such as {@code ${project.basedir}/src/main/resources/META-INF/eskit/schema.lock}). Null
     * when the check is off: by the option ({@code none}), or (with a warning) when no path is given. The processor
     * never guesses where the sources are: build tools such as Gradle expect it to write only through the Filer or
     * to paths it was given.
     */
    private Path location() {
        String option = options.get(PATH_OPTION);
        if (option != null && (option.equalsIgnoreCase("none") || option.equalsIgnoreCase("off"))) {
            return null;
        }
        if (option == null || option.isBlank()) {
            // An in-memory compilation (tests, IDE previews) has no sources to keep a lock with: off without a word.
            if (onFileSystem()) {
                context.diagnostics().report(Message.SCHEMA_LOCK_LOCATION, firstOrigin());
            }
            return null;
        }
        return Paths.get(option).toAbsolutePath().normalize();
    }

    /** Whether the class output is a directory (not an in-memory file manager). */
    private boolean onFileSystem() {
        try {
            return "file".equals(context.filer().getResource(StandardLocation.CLASS_OUTPUT, "",
                    "eskit-schema-lock.probe").toUri().getScheme());
        } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }
}

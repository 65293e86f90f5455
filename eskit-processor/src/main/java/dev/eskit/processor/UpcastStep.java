package dev.eskit.processor;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Upcast;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.EventModel;
import dev.eskit.processor.model.UpcastModel;
import dev.eskit.processor.read.DeferException;
import dev.eskit.processor.read.UpcastReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/**
 * {@code @Upcast}: reads the upcasters of a round, groups them by event, and checks each event's chain (range,
 * duplicates, gaps) when {@link EventStep} builds its registry entry.
 */
final class UpcastStep {

    /**
     * The checked chain of one event.
     *
     * @param upcasters the upcasters generated code may call, sorted by version
     * @param complete  whether every stored version below the current one has exactly one valid upcaster
     */
    record Chain(List<UpcastModel> upcasters, boolean complete) {
    }

    private final EskitContext context;
    private final UpcastReader reader;
    /** Upcasters read but not yet wired, by the qualified name of their event. */
    private final Map<String, List<UpcastModel>> pending = new HashMap<>();
    /** Events whose registry entry waits for an upcaster that refers to a type that does not exist yet. */
    private final Set<String> blocked = new HashSet<>();
    /** Deferred upcasters: owner class name -> method descriptions, and what they miss. */
    private final Map<String, Map<String, String>> deferred = new TreeMap<>();
    /** Events whose registry was written in an earlier round. */
    private final Set<String> written = new HashSet<>();

    UpcastStep(EskitContext context) {
        this.context = context;
        this.reader = new UpcastReader(context);
    }

    /** Reads the {@code @Upcast} methods of {@code round} and the ones deferred from earlier rounds. */
    void collect(RoundEnvironment round, Collection<String> knownEvents) {
        blocked.clear();
        List<ExecutableElement> methods = new ArrayList<>(
                ElementFilter.methodsIn(round.getElementsAnnotatedWith(Upcast.class)));
        Map<String, Map<String, String>> retry = new TreeMap<>(deferred);
        deferred.clear();
        for (Map.Entry<String, Map<String, String>> entry : retry.entrySet()) {
            TypeElement owner = context.elements().getTypeElement(entry.getKey());
            if (owner == null) {
                continue;
            }
            for (ExecutableElement method : ElementFilter.methodsIn(owner.getEnclosedElements())) {
                if (entry.getValue().containsKey(key(method)) && !methods.contains(method)) {
                    methods.add(method);
                }
            }
        }
        methods.sort(Comparator.comparing(UpcastStep::ownerName).thenComparing(UpcastStep::key));
        for (ExecutableElement method : methods) {
            try {
                UpcastModel model = reader.read(method, knownEvents);
                if (model != null) {
                    pending.computeIfAbsent(model.event().canonicalName(), e -> new ArrayList<>()).add(model);
                }
            } catch (DeferException defer) {
                deferred.computeIfAbsent(ownerName(method), o -> new TreeMap<>()).put(key(method), defer.missing());
                try {
                    TypeElement event = reader.event(method);
                    if (event != null) {
                        blocked.add(event.getQualifiedName().toString());
                    }
                } catch (DeferException eventMissing) {
                    // The event itself does not exist yet; the upcaster is retried with it.
                }
            } catch (RuntimeException | LinkageError failure) {
                context.diagnostics().internal(method, failure);
            }
        }
    }

    /** Whether {@code event} must wait for an upcaster that is deferred to the next round. */
    boolean blocked(String event) {
        return blocked.contains(event);
    }

    /**
     * Takes the upcasters of {@code event} and checks its chain: every stored version from 1 to below the current
     * version needs exactly one upcaster.
     */
    Chain chain(EventModel event) {
        String name = event.type().canonicalName();
        written.add(name);
        List<UpcastModel> all = pending.getOrDefault(name, List.of()).stream()
                .sorted(Comparator.comparingInt(UpcastModel::from)
                        .thenComparing(u -> u.owner().canonicalName())
                        .thenComparingInt(u -> u.origin().getEnclosingElement().getEnclosedElements()
                                .indexOf(u.origin())))
                .toList();
        pending.remove(name);
        boolean complete = true;
        Map<Integer, UpcastModel> steps = new TreeMap<>();
        for (UpcastModel upcast : all) {
            if (upcast.from() < 1 || upcast.from() >= event.version()) {
                // A version below the current one that nothing upcasts is most likely the one that was meant.
                Integer meant = null;
                for (int version = 1; version < event.version() && meant == null; version++) {
                    int v = version;
                    if (all.stream().noneMatch(u -> u.from() == v)) {
                        meant = v;
                    }
                }
                String fix = meant != null && upcast.from() >= 1
                        ? "Did you mean from = " + meant + "? Nothing upcasts version " + meant + " yet. If this"
                                + " upcaster produces a new version instead, raise the event to @Event(version = "
                                + (upcast.from() + 1) + ")."
                        : meant != null
                        ? "Versions start at 1. Did you mean from = " + meant + "? Nothing upcasts version " + meant
                                + " yet."
                        : upcast.from() < 1
                        ? "Versions start at 1: the first upcaster has from = 1."
                        : "If this upcaster produces a new version, raise the event to @Event(version = "
                                + (upcast.from() + 1) + "); otherwise remove it.";
                context.diagnostics().report(Message.UPCAST_VERSION, upcast.origin(), mirror(upcast.origin()),
                        value(upcast.origin(), "from"), upcast.describe(), upcast.from(), event.wireName(),
                        event.version(), fix);
                complete = false;
                continue;
            }
            UpcastModel first = steps.putIfAbsent(upcast.from(), upcast);
            if (first != null) {
                context.diagnostics().report(Message.UPCAST_DUPLICATE, upcast.origin(), mirror(upcast.origin()),
                        upcast.from(), event.wireName(), first.describe(), upcast.describe());
                complete = false;
            }
        }
        List<Integer> missing = new ArrayList<>();
        for (int version = 1; version < event.version(); version++) {
            if (!steps.containsKey(version)) {
                missing.add(version);
            }
        }
        if (!missing.isEmpty()) {
            complete = false;
            String simple = String.join(".", event.type().simpleNames());
            String what = (missing.size() == 1 ? "version " : "versions ") + join(missing.stream()
                    .map(String::valueOf).toList());
            String fix = join(missing.stream()
                    .map(v -> "@Upcast(event = " + simple + ".class, from = " + v + ")").toList());
            Element on = event.origin();
            AnnotationMirror annotation = mirror(on);
            AnnotationValue value = value(on, "version");
            UpcastModel after = steps.values().stream().filter(u -> u.from() > missing.get(0)).findFirst()
                    .orElse(steps.isEmpty() ? null : ((TreeMap<Integer, UpcastModel>) steps).lastEntry().getValue());
            if (after != null) {
                on = after.origin();
                annotation = mirror(on);
                value = null;
            }
            context.diagnostics().report(Message.UPCAST_GAP, on, annotation, value, event.wireName(),
                    event.version(), what, fix);
        }
        if (all.stream().anyMatch(u -> !u.valid())) {
            complete = false;
        }
        List<UpcastModel> callable = steps.values().stream().filter(UpcastModel::valid).toList();
        return new Chain(callable, complete);
    }

    /**
     * Ends a round: upcasters whose event was neither built this round nor waits for the next one name an event that
     * this compilation does not build (any more), which is reported.
     *
     * @param attempted qualified names of the events read this round, with or without errors
     * @param waiting   qualified names of the events deferred to the next round
     */
    void endRound(Set<String> attempted, Set<String> waiting) {
        for (String event : new ArrayList<>(pending.keySet())) {
            if (waiting.contains(event)) {
                continue;
            }
            List<UpcastModel> orphans = pending.remove(event);
            if (attempted.contains(event)) {
                continue; // the event has errors of its own
            }
            for (UpcastModel upcast : orphans) {
                String where = upcast.describe();
                String reason = written.contains(event)
                        ? "whose registry was generated in an earlier annotation processing round"
                        : "which is compiled separately (its registry is not generated here)";
                context.diagnostics().report(Message.UPCAST_NOT_EVENT, upcast.origin(), mirror(upcast.origin()),
                        value(upcast.origin(), "event"), where, upcast.event().simpleName(), reason,
                        "Declare the upcaster in the module, and the round, that compiles the event.");
            }
        }
    }

    /** Reports upcasters that still refer to missing types after the last round. */
    void reportDeferred() {
        for (Map.Entry<String, Map<String, String>> owner : deferred.entrySet()) {
            TypeElement type = context.elements().getTypeElement(owner.getKey());
            for (Map.Entry<String, String> method : owner.getValue().entrySet()) {
                context.diagnostics().report(Message.TYPE_UNRESOLVED, type,
                        owner.getKey() + "." + method.getKey(), method.getValue());
            }
        }
        deferred.clear();
    }

    private static String ownerName(ExecutableElement method) {
        return ((TypeElement) method.getEnclosingElement()).getQualifiedName().toString();
    }

    /**
     * Identifies a method across rounds. Packages are left out: a parameter type that did not exist yet prints
     * without its package ({@code PaidV1}), and with it once it exists ({@code shop.PaidV1}).
     */
    private static String key(ExecutableElement method) {
        return method.getSimpleName() + method.getParameters().stream()
                .map(p -> p.asType().toString().replaceAll("\\b[a-z][a-z0-9_]*\\.", ""))
                .collect(Collectors.joining(",", "(", ")"));
    }

    /** "1", "1 and 2", "1, 2 and 3". */
    private static String join(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static AnnotationMirror mirror(Element element) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            String name = ((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName().toString();
            if (name.equals(Upcast.class.getCanonicalName()) || name.equals(Event.class.getCanonicalName())) {
                return mirror;
            }
        }
        return null;
    }

    private static AnnotationValue value(Element element, String attribute) {
        AnnotationMirror mirror = mirror(element);
        if (mirror == null) {
            return null;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                : mirror.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(attribute)) {
                return e.getValue();
            }
        }
        return null;
    }
}

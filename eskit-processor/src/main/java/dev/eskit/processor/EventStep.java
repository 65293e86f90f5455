package dev.eskit.processor;

import dev.eskit.annotations.Event;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.EventModel;
import dev.eskit.processor.model.RegistryModel;
import dev.eskit.processor.model.PersonalDataModel;
import dev.eskit.processor.model.PersonalDataRegistryModel;
import dev.eskit.processor.model.TagModel;
import dev.eskit.processor.read.EventReader;
import dev.eskit.processor.read.PersonalDataReader;
import dev.eskit.processor.read.TagReader;
import dev.eskit.processor.write.EventTypesWriter;
import dev.eskit.processor.write.PersonalDataWriter;
import com.palantir.javapoet.ClassName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** {@code @Event}: reads every event of a round and writes one registry per package. */
final class EventStep {

    private final EskitContext context;
    private final Steps steps;
    private final EventReader reader;
    private final TagReader tagReader;
    private final EventTypesWriter writer = new EventTypesWriter();
    private final PersonalDataReader personalReader;
    private final PersonalDataWriter personalWriter = new PersonalDataWriter();
    private final Set<String> personalRegistries = new TreeSet<>();
    /** Wire name (or alias) to the class that claimed it, across the whole compilation. */
    private final Map<String, String> claimed = new HashMap<>();
    /** How many registries each package has (a later round adds {@code _2}, {@code _3}...). */
    private final Map<String, Integer> registriesPerPackage = new HashMap<>();
    private final Set<String> registries = new TreeSet<>();
    private final Set<String> eventSimpleNames = new TreeSet<>();
    private final Map<String, String> deferred = new HashMap<>();
    private final UpcastStep upcasts;
    private final SchemaLockStep lock;
    private final CodecStep codecs;
    /** The generated codec of each event, by qualified name. */
    private final Map<String, dev.eskit.processor.model.CodecRef> codecRefs = new HashMap<>();
    /** The {@code @Tag} components of events, by qualified name. */
    private final Map<String, List<TagModel>> tags = new HashMap<>();

    EventStep(EskitContext context, Steps steps, UpcastStep upcasts, SchemaLockStep lock, CodecStep codecs) {
        this.context = context;
        this.codecs = codecs;
        this.steps = steps;
        this.upcasts = upcasts;
        this.lock = lock;
        this.reader = new EventReader(context);
        this.personalReader = new PersonalDataReader(context);
        this.tagReader = new TagReader(context);
    }

    void process(RoundEnvironment round) {
        Map<String, List<EventModel>> byPackage = new TreeMap<>();
        Map<String, List<PersonalDataModel>> personalByPackage = new TreeMap<>();
        List<TypeElement> types = steps.types(round.getElementsAnnotatedWith(Event.class), deferred);
        types.forEach(type -> eventSimpleNames.add(type.getSimpleName().toString()));
        upcasts.collect(round, eventSimpleNames);
        Set<String> attempted = new TreeSet<>();
        for (TypeElement type : types) {
            String qualified = type.getQualifiedName().toString();
            if (upcasts.blocked(qualified)) {
                deferred.put(qualified, "an upcaster's type");
                continue;
            }
            attempted.add(qualified);
            steps.run(type, deferred, t -> {
                EventModel model = reader.read(t);
                // First, so that a type not generated yet defers the event before anything is recorded for it.
                dev.eskit.processor.model.CodecRef codec = model == null ? null : codecs.event(t);
                List<TagModel> eventTags = tagReader.read(t, true);
                if (!eventTags.isEmpty()) {
                    tags.put(t.getQualifiedName().toString(), eventTags);
                }
                if (model != null && claim(model, t)) {
                    UpcastStep.Chain chain = upcasts.chain(model);
                    model = model.withUpcasters(codecs.typedUpcasters(chain.upcasters()));
                    lock.record(model, t, chain.complete());
                    byPackage.computeIfAbsent(model.type().packageName(), p -> new ArrayList<>()).add(model);
                    if (codec != null) {
                        codecRefs.put(t.getQualifiedName().toString(), codec);
                    }
                    PersonalDataModel personal = personalReader.read(t, model.wireName());
                    if (personal != null) {
                        personalByPackage.computeIfAbsent(model.type().packageName(), p -> new ArrayList<>())
                                .add(personal);
                    }
                }
            });
        }
        upcasts.endRound(attempted, deferred.keySet());
        for (Map.Entry<String, List<EventModel>> entry : byPackage.entrySet()) {
            String packageName = entry.getKey();
            int count = registriesPerPackage.merge(packageName, 1, Integer::sum);
            ClassName name = ClassName.get(packageName, registryName(packageName) + (count > 1 ? "_" + count : ""));
            registries.add(name.canonicalName());
            steps.write(writer.write(new RegistryModel(name, entry.getValue(), tags, codecRefs)),
                    entry.getValue().get(0).origin());
            List<PersonalDataModel> personal = personalByPackage.get(packageName);
            if (personal != null) {
                String base = registryName(packageName);
                ClassName personalName = ClassName.get(packageName, base.substring(0, base.length()
                        - "EventTypes".length()) + "PersonalData" + (count > 1 ? "_" + count : ""));
                personalRegistries.add(personalName.canonicalName());
                steps.write(personalWriter.write(new PersonalDataRegistryModel(personalName, personal),
                                context.elements().getTypeElement(PersonalDataWriter.OBJECT_NODE_NAME) != null),
                        personal.get(0).origin());
            }
        }
    }

    /** The event class that claimed wire name (or alias) {@code name} so far, or null. */
    String wireNameOwner(String name) {
        return claimed.get(name);
    }

    /** Every personal-data registry generated so far, sorted. */
    Set<String> personalRegistries() {
        return personalRegistries;
    }

    /** Every registry generated so far, sorted. */
    Set<String> registries() {
        return registries;
    }

    /** Simple names of every {@code @Event} type seen so far, for "Did you mean" hints. */
    Set<String> eventSimpleNames() {
        return eventSimpleNames;
    }

    /** {@code BankEventTypes} for {@code com.acme.bank}; {@code DefaultEventTypes} for the unnamed package. */
    static String registryName(String packageName) {
        String last = packageName.substring(packageName.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return "DefaultEventTypes";
        }
        return last.substring(0, 1).toUpperCase(Locale.ROOT) + last.substring(1) + "EventTypes";
    }

    private boolean claim(EventModel model, TypeElement type) {
        String self = type.getQualifiedName().toString();
        boolean ok = true;
        List<String> names = new ArrayList<>();
        names.add(model.wireName());
        names.addAll(model.aliases());
        for (String name : names) {
            String owner = claimed.putIfAbsent(name, self);
            if (owner != null && !owner.equals(self)) {
                AnnotationMirror annotation = mirror(type);
                AnnotationValue value = name.equals(model.wireName()) ? value(annotation, "name")
                        : value(annotation, "aliases");
                context.diagnostics().report(Message.EVENT_NAME_DUPLICATE, type, annotation, value, name, owner,
                        self);
                ok = false;
            }
        }
        return ok;
    }

    private static AnnotationMirror mirror(TypeElement type) {
        return type.getAnnotationMirrors().stream()
                .filter(m -> m.getAnnotationType().toString().equals(Event.class.getCanonicalName()))
                .findFirst().orElse(null);
    }

    private static AnnotationValue value(AnnotationMirror mirror, String name) {
        if (mirror == null) {
            return null;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                : mirror.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(name)) {
                return e.getValue();
            }
        }
        return null;
    }
}

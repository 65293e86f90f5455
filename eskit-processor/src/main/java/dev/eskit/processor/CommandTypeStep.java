package dev.eskit.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.eskit.processor.diag.Message;
import dev.eskit.processor.model.CodecRef;
import dev.eskit.processor.model.CommandTypesModel;
import dev.eskit.processor.model.DeciderModel;
import dev.eskit.processor.model.DecideModel;
import dev.eskit.processor.model.PersonalDataModel;
import dev.eskit.processor.model.PersonalDataRegistryModel;
import dev.eskit.processor.model.RouteModel;
import dev.eskit.processor.read.PersonalDataReader;
import dev.eskit.processor.write.CommandTypesWriter;
import dev.eskit.processor.write.PersonalDataWriter;
import java.util.ArrayList;
import java.util.Comparator;
import dev.eskit.annotations.Command;
import dev.eskit.annotations.CommandUpcast;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * The command types of the deciders: one {@code <Package>CommandTypes} registry per package of {@code @Decider} and
 * {@code @DcbDecider} classes per round ({@code _2}, {@code _3}... for later rounds), plus
 * {@code <Package>CommandPersonalData} for commands with {@code @PersonalData} components. A command's wire name is
 * the last segment of its package and its simple name ({@code "bank.Deposit"}); two commands, or a command and an
 * event, with one wire name fail the build ({@code ESKIT-COMMAND-NAME-DUPLICATE}).
 */
final class CommandTypeStep {

    private final EskitContext context;
    private final Steps steps;
    private final Function<String, String> eventOwner;
    private final CommandTypesWriter writer = new CommandTypesWriter();
    private final PersonalDataReader personalReader;
    private final PersonalDataWriter personalWriter = new PersonalDataWriter();
    /** Wire name to the command class that claimed it, across the whole compilation. */
    private final Map<String, String> claimed = new HashMap<>();
    private final Map<String, Integer> filesPerPackage = new HashMap<>();
    private final Map<String, Pending> pending = new TreeMap<>();
    private final Set<String> registries = new TreeSet<>();
    private final Set<String> personalRegistries = new TreeSet<>();
    private final SchemaLockStep lock;
    /** {@code @CommandUpcast} methods seen so far, by the qualified name of the command they name. */
    private final Map<String, List<ExecutableElement>> upcasts = new HashMap<>();
    /** Commands registered so far (qualified names). */
    private final Set<String> registered = new HashSet<>();

    /** {@code eventOwner} gives the event class that claimed a wire name, or null. */
    CommandTypeStep(EskitContext context, Steps steps, Function<String, String> eventOwner, SchemaLockStep lock) {
        this.context = context;
        this.steps = steps;
        this.eventOwner = eventOwner;
        this.personalReader = new PersonalDataReader(context);
        this.lock = lock;
    }

    /** Collects the {@code @CommandUpcast} methods of this round (before the deciders are read). */
    void collect(RoundEnvironment round) {
        for (Element element : round.getElementsAnnotatedWith(CommandUpcast.class)) {
            if (!(element instanceof ExecutableElement method)) {
                continue;
            }
            AnnotationValue command = value(method, "command");
            String target = command != null && command.getValue() instanceof DeclaredType declared
                    ? ((TypeElement) declared.asElement()).getQualifiedName().toString() : "?";
            upcasts.computeIfAbsent(target, k -> new ArrayList<>()).add(method);
        }
    }

    /** After the last round: reports upcasters of classes no decider handles. */
    void reportUnused() {
        for (Map.Entry<String, List<ExecutableElement>> entry : upcasts.entrySet()) {
            if (registered.contains(entry.getKey())) {
                continue;
            }
            for (ExecutableElement method : entry.getValue()) {
                context.diagnostics().report(Message.COMMAND_UPCAST, method, mirror(method, CommandUpcast.class),
                        "\"" + where(method) + "\" names \"" + entry.getKey() + "\", which no @Decider or"
                                + " @DcbDecider of this compilation handles",
                        "Name a command record that a decider takes.");
            }
        }
    }

    /** Adds the commands of {@code model}, with the generated codecs {@code codecs} (by qualified class name). */
    void decider(DeciderModel model, Map<String, CodecRef> codecs, TypeElement origin) {
        Set<TypeName> commands = new LinkedHashSet<>();
        for (RouteModel route : model.routes()) {
            commands.add(route.command());
        }
        for (DecideModel decide : model.decides()) {
            commands.add(decide.command());
        }
        String packageName = model.source().packageName();
        for (TypeName command : commands) {
            if (!(command instanceof ClassName name)) {
                continue;
            }
            TypeElement type = context.elements().getTypeElement(name.canonicalName());
            if (type == null || !concrete(type)) {
                continue;
            }
            String qualified = type.getQualifiedName().toString();
            String wireName = wireName(context.elements().getPackageOf(type).getQualifiedName()
                    .toString(), type.getSimpleName().toString());
            int version = 1;
            AnnotationMirror annotation = mirror(type, Command.class);
            if (annotation != null) {
                AnnotationValue nameValue = value(type, Command.class, "name");
                String declared = nameValue == null ? "" : (String) nameValue.getValue();
                if (!declared.isEmpty()) {
                    if (declared.isBlank() || declared.chars().anyMatch(Character::isWhitespace)) {
                        context.diagnostics().report(Message.EVENT_NAME_INVALID, type, annotation, qualified,
                                "@Command(name)", declared, wireName);
                        continue;
                    }
                    wireName = declared;
                }
                AnnotationValue versionValue = value(type, Command.class, "version");
                version = versionValue == null ? 1 : (Integer) versionValue.getValue();
                if (version < 1) {
                    context.diagnostics().report(Message.COMMAND_VERSION, type, annotation, qualified, version);
                    continue;
                }
            }
            if (registered.contains(qualified) && file(packageName).byType.containsKey(qualified)) {
                if (!file(packageName).origins.contains(origin)) {
                    file(packageName).origins.add(origin);
                }
                continue;
            }
            if (!claim(wireName, qualified, type)) {
                continue;
            }
            List<CommandTypesModel.Upcaster> chain = new ArrayList<>();
            boolean complete = upcasters(type, wireName, version, chain);
            Pending file = file(packageName);
            if (file.byType.putIfAbsent(qualified, new CommandTypesModel.Command(wireName, name,
                    codecs.get(qualified), version, complete ? chain : List.of())) == null) {
                registered.add(qualified);
                lock.recordCommand(wireName, version, type, complete);
                PersonalDataModel personal = personalReader.read(type, wireName);
                if (personal != null) {
                    file.personal.add(personal);
                }
            }
            if (!file.origins.contains(origin)) {
                file.origins.add(origin);
            }
        }
    }

    private Pending file(String packageName) {
        return pending.computeIfAbsent(packageName, this::newFile);
    }

    /**
     * Checks the upcasters of {@code type} (one per version from 1 to below {@code version}: static, reachable,
     * {@code ObjectNode m(ObjectNode)}), adding them in order to {@code chain}; false (reported) when one is missing
     * or wrong.
     */
    private boolean upcasters(TypeElement type, String wireName, int version, List<CommandTypesModel.Upcaster> chain) {
        List<ExecutableElement> methods = upcasts.getOrDefault(type.getQualifiedName().toString(), List.of());
        Map<Integer, ExecutableElement> byFrom = new TreeMap<>();
        boolean ok = true;
        String objectNode = "com.fasterxml.jackson.databind.node.ObjectNode";
        for (ExecutableElement method : methods) {
            AnnotationValue fromValue = value(method, "from");
            int from = fromValue == null ? 0 : (Integer) fromValue.getValue();
            String problem = null;
            if (from < 1 || from >= version) {
                problem = "\"" + where(method) + "\" declares from = " + from + " while \"" + wireName
                        + "\" is at version " + version;
            } else if (byFrom.containsKey(from)) {
                problem = "version " + from + " of \"" + wireName + "\" is upcast by both \""
                        + where(byFrom.get(from)) + "\" and \"" + where(method) + "\"";
            } else if (!method.getModifiers().contains(Modifier.STATIC)
                    || method.getModifiers().contains(Modifier.PRIVATE)
                    || method.getParameters().size() != 1
                    || !method.getParameters().get(0).asType().toString().equals(objectNode)
                    || !method.getReturnType().toString().equals(objectNode)) {
                problem = "\"" + where(method) + "\" is not a non-private static ObjectNode m(ObjectNode json)";
            } else if (!samePackage(method, type) && !method.getModifiers().contains(Modifier.PUBLIC)) {
                problem = "\"" + where(method) + "\" is in another package than the generated registry and not"
                        + " public";
            }
            if (problem != null) {
                context.diagnostics().report(Message.COMMAND_UPCAST, method, mirror(method, CommandUpcast.class),
                        problem, "Declare it as: @CommandUpcast(command = " + type.getSimpleName()
                                + ".class, from = 1) static ObjectNode m(ObjectNode json) next to the command.");
                ok = false;
            } else {
                byFrom.put(from, method);
            }
        }
        for (int from = 1; from < version; from++) {
            ExecutableElement method = byFrom.get(from);
            if (method == null) {
                if (ok) {
                    context.diagnostics().report(Message.COMMAND_UPCAST, type, mirror(type, Command.class),
                            "nothing upcasts version " + from + " of \"" + wireName + "\" (at version " + version
                                    + ")", "Add @CommandUpcast(command = " + type.getSimpleName() + ".class, from = "
                                    + from + ") static ObjectNode m(ObjectNode json).");
                }
                ok = false;
                continue;
            }
            chain.add(new CommandTypesModel.Upcaster(ClassName.get((TypeElement) method.getEnclosingElement()),
                    method.getSimpleName().toString()));
        }
        return ok;
    }

    private boolean samePackage(ExecutableElement method, TypeElement type) {
        return context.elements().getPackageOf(method).equals(context.elements().getPackageOf(type));
    }

    private static String where(ExecutableElement method) {
        return method.getEnclosingElement().getSimpleName() + "." + method.getSimpleName() + "()";
    }

    private static AnnotationMirror mirror(Element element, Class<?> annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (((TypeElement) mirror.getAnnotationType().asElement()).getQualifiedName()
                    .contentEquals(annotation.getCanonicalName())) {
                return mirror;
            }
        }
        return null;
    }

    private static AnnotationValue value(ExecutableElement method, String name) {
        return value(method, CommandUpcast.class, name);
    }

    private static AnnotationValue value(Element element, Class<?> annotation, String name) {
        AnnotationMirror mirror = mirror(element, annotation);
        if (mirror == null) {
            return null;
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : mirror.getElementValues().entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** The last package segment and the simple name, as for events: {@code "bank.Deposit"}. */
    private static String wireName(String packageName, String simpleName) {
        String last = packageName.substring(packageName.lastIndexOf('.') + 1);
        return last.isEmpty() ? simpleName : last + "." + simpleName;
    }

    private static boolean concrete(TypeElement type) {
        return type.getKind() == ElementKind.RECORD
                || (type.getKind() == ElementKind.CLASS && !type.getModifiers().contains(Modifier.ABSTRACT));
    }

    private boolean claim(String wireName, String qualified, TypeElement type) {
        String owner = claimed.get(wireName);
        if (owner != null && owner.equals(qualified)) {
            return true;
        }
        if (owner == null) {
            owner = eventOwner.apply(wireName);
        }
        if (owner != null) {
            context.diagnostics().report(Message.COMMAND_NAME_DUPLICATE, type, wireName, owner, qualified);
            return false;
        }
        claimed.put(wireName, qualified);
        return true;
    }

    /** Writes this round's registries. */
    void flush() {
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            Pending file = entry.getValue();
            List<CommandTypesModel.Command> commands = new ArrayList<>(file.byType.values());
            commands.sort(Comparator.comparing(c -> c.type().canonicalName()));
            List<Element> origins = new ArrayList<>(file.origins);
            steps.write(writer.write(new CommandTypesModel(file.className, commands, origins)), origins.get(0));
            registries.add(file.className.canonicalName());
            if (!file.personal.isEmpty()) {
                String base = file.className.simpleName().replace("CommandTypes", "CommandPersonalData");
                ClassName personalName = ClassName.get(entry.getKey(), base);
                file.personal.sort(Comparator.comparing(PersonalDataModel::wireName));
                steps.write(personalWriter.write(new PersonalDataRegistryModel(personalName, file.personal),
                                context.elements().getTypeElement(PersonalDataWriter.OBJECT_NODE_NAME) != null),
                        file.personal.get(0).origin());
                personalRegistries.add(personalName.canonicalName());
            }
        }
        pending.clear();
    }

    /** Every registry generated so far, for {@code META-INF/services}. */
    Set<String> registries() {
        return registries;
    }

    /** Every command personal-data registry generated so far. */
    Set<String> personalRegistries() {
        return personalRegistries;
    }

    private Pending newFile(String packageName) {
        int count = filesPerPackage.merge(packageName, 1, Integer::sum);
        String events = EventStep.registryName(packageName);
        String base = events.substring(0, events.length() - "EventTypes".length()) + "CommandTypes";
        return new Pending(ClassName.get(packageName, base + (count > 1 ? "_" + count : "")));
    }

    /** One package's registry of this round. */
    private static final class Pending {
        final ClassName className;
        final Map<String, CommandTypesModel.Command> byType = new TreeMap<>();
        final List<PersonalDataModel> personal = new ArrayList<>();
        final List<Element> origins = new ArrayList<>();

        Pending(ClassName className) {
            this.className = className;
        }
    }
}

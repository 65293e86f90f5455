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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import javax.lang.model.element.Element;
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

    /** {@code eventOwner} gives the event class that claimed a wire name, or null. */
    CommandTypeStep(EskitContext context, Steps steps, Function<String, String> eventOwner) {
        this.context = context;
        this.steps = steps;
        this.eventOwner = eventOwner;
        this.personalReader = new PersonalDataReader(context);
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
            if (!claim(wireName, qualified, type)) {
                continue;
            }
            Pending file = pending.computeIfAbsent(packageName, this::newFile);
            if (file.byType.putIfAbsent(qualified, new CommandTypesModel.Command(wireName, name,
                    codecs.get(qualified))) == null) {
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
                steps.write(personalWriter.write(new PersonalDataRegistryModel(personalName, file.personal)),
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

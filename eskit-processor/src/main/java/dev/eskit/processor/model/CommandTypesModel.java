package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import javax.lang.model.element.Element;

/**
 * One generated {@code <Package>CommandTypes} registry.
 *
 * @param className the registry's class, such as {@code com.acme.bank.BankCommandTypes}
 * @param commands  the command types, sorted by class name
 * @param origins   the elements it was generated from
 */
public record CommandTypesModel(ClassName className, List<Command> commands, List<Element> origins) {

    /** Copies the lists. */
    public CommandTypesModel {
        commands = List.copyOf(commands);
        origins = List.copyOf(origins);
    }

    /**
     * One command type.
     *
     * @param wireName its wire name
     * @param type     its class
     * @param codec    its generated codec, or null for databind
     * @param version   its schema version ({@code @Command(version)}, else 1)
     * @param upcasters its {@code @CommandUpcast} methods from version 1 on, in order (empty when it has none)
     */
    public record Command(String wireName, ClassName type, CodecRef codec, int version, List<Upcaster> upcasters) {

        /** Copies the list. */
        public Command {
            upcasters = List.copyOf(upcasters);
        }

        /** A command of version 1 without upcasters. */
        public Command(String wireName, ClassName type, CodecRef codec) {
            this(wireName, type, codec, 1, List.of());
        }
    }

    /**
     * A {@code @CommandUpcast} method.
     *
     * @param owner  the class that declares it
     * @param method its name
     */
    public record Upcaster(ClassName owner, String method) {
    }
}

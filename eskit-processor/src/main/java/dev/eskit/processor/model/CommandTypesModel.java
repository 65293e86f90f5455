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
     */
    public record Command(String wireName, ClassName type, CodecRef codec) {
    }
}

package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import java.util.List;
import javax.lang.model.element.Element;

/**
 * One generated {@code <Package>Codecs} file.
 *
 * @param className   the file's class, such as {@code com.acme.bank.BankCodecs}
 * @param roots       the public constants: events, decider states and commands, sorted by constant
 * @param definitions the nested codecs every root needs, sorted by type
 * @param origins     the elements the file was generated from
 */
public record CodecsModel(ClassName className, List<Root> roots, List<CodecDefinitionModel> definitions,
                          List<Element> origins) {

    /** Copies the lists. */
    public CodecsModel {
        roots = List.copyOf(roots);
        definitions = List.copyOf(definitions);
        origins = List.copyOf(origins);
    }

    /**
     * One public constant.
     *
     * @param constant the constant's name, such as {@code DEPOSITED}
     * @param codec    the root type
     * @param schema   a state's snapshot schema ({@code <class>#<hash of the shape>}), which also adds a
     *                 {@code <constant>_SNAPSHOTS} state codec; null for events and commands
     */
    public record Root(String constant, CodecType codec, String schema) {
    }
}

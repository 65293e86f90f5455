package dev.eskit.processor.model;

import com.palantir.javapoet.ClassName;
import javax.lang.model.element.Element;

/**
 * One {@code @Upcast} method: version {@code from} of {@code event} to version {@code from + 1}.
 *
 * @param event  the {@code @Event} record it upcasts
 * @param from   the stored version it reads
 * @param owner  the class that declares the method
 * @param method the method name
 * @param reads  the record kept for the old shape (typed form), {@code dev.eskit.codec.JsonObject} for the streaming
 *               form ({@code JsonObject m(JsonObject)}, no databind), or null for the JSON form
 *               ({@code ObjectNode m(ObjectNode)})
 * @param valid  whether the method can be called as it is (a method with errors still takes its step in the chain,
 *               so that it is not also reported as a gap)
 * @param origin the annotated method
 */
public record UpcastModel(ClassName event, int from, ClassName owner, String method, ClassName reads, boolean valid,
                          Element origin) {

    /** Whether this is the streaming form, on {@code dev.eskit.codec.JsonObject}. */
    public boolean streaming() {
        return reads != null && reads.canonicalName().equals("dev.eskit.codec.JsonObject");
    }

    /** {@code Owner.method}, as messages quote it. */
    public String describe() {
        return owner.simpleName() + "." + method;
    }
}

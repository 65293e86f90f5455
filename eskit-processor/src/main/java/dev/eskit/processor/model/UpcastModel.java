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
 * @param readsCodec   for the typed form, the generated codec of the old record, or null (then databind reads it)
 * @param returnsCodec for the typed form, the generated codec of the record the method returns, or null
 */
public record UpcastModel(ClassName event, int from, ClassName owner, String method, ClassName reads, boolean valid,
                          Element origin, CodecRef readsCodec, CodecRef returnsCodec) {

    /** An upcaster without generated codecs for its records (yet). */
    public UpcastModel(ClassName event, int from, ClassName owner, String method, ClassName reads, boolean valid,
                       Element origin) {
        this(event, from, owner, method, reads, valid, origin, null, null);
    }

    /** This upcaster with the generated codecs of its typed form's records. */
    public UpcastModel withCodecs(CodecRef readsValue, CodecRef returnsValue) {
        return new UpcastModel(event, from, owner, method, reads, valid, origin, readsValue, returnsValue);
    }

    /** Whether this is the typed form with generated codecs for both records (no databind, no reflection). */
    public boolean generatedTyped() {
        return readsCodec != null && returnsCodec != null;
    }

    /** Whether this is the streaming form, on {@code dev.eskit.codec.JsonObject}. */
    public boolean streaming() {
        return reads != null && reads.canonicalName().equals("dev.eskit.codec.JsonObject");
    }

    /** {@code Owner.method}, as messages quote it. */
    public String describe() {
        return owner.simpleName() + "." + method;
    }
}

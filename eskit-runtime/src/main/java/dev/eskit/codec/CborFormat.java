package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;

/**
 * Creates the CBOR factory in a class of its own, so that {@link StreamingEventCodec} links without the optional
 * jackson-dataformat-cbor (the verifier would load {@code CBORFactory} to check the call otherwise).
 */
final class CborFormat {

    private CborFormat() {
    }

    static JsonFactory factory() {
        return new CBORFactory();
    }

    /** Whether {@code factory} (a CBOR one) writes without string references, so keeps no state between values. */
    static boolean withoutStringReferences(JsonFactory factory) {
        return factory instanceof CBORFactory cbor && !cbor.isEnabled(CBORGenerator.Feature.STRINGREF);
    }
}

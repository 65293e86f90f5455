package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.IOException;
import java.io.InputStream;

/**
 * Creates the CBOR factory in a class of its own, so that {@link StreamingEventCodec} links without the optional
 * jackson-dataformat-cbor (the verifier would load {@code CBORFactory} to check the call otherwise).
 */
final class CborFormat {

    /** The format name of CBOR factories ({@code CBORFactory.FORMAT_NAME}), to check before linking this class. */
    static final String NAME = "CBOR";

    private CborFormat() {
    }

    /**
     * Whether {@link ParserPool} may keep parsers of {@code factory}: jackson-dataformat-cbor's own factory (a
     * subclass may parse differently).
     */
    static boolean keepsParsers(JsonFactory factory) {
        return factory.getClass() == CBORFactory.class;
    }

    /**
     * A parser of {@code factory} that reads CBOR values one after another from {@code feed}, for {@link ParserPool}.
     * It takes its buffers from the factory's recycler pool and holds them while it is open.
     */
    static JsonParser feedParser(JsonFactory factory, InputStream feed) throws IOException {
        return factory.createParser(feed);
    }

    static JsonFactory factory() {
        return new CBORFactory();
    }

    /** Whether {@code factory} (a CBOR one) writes without string references, so keeps no state between values. */
    static boolean withoutStringReferences(JsonFactory factory) {
        return factory instanceof CBORFactory cbor && !cbor.isEnabled(CBORGenerator.Feature.STRINGREF);
    }
}

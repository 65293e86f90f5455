package dev.eskit.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

/**
 * A parser that generated codecs read leniently ({@link Codecs#lenient}): every read goes to the parser it wraps; the
 * generated readers only check for this type where strict decoding would fail.
 */
final class LenientParser extends JsonParserDelegate {

    LenientParser(JsonParser in) {
        super(in);
    }
}

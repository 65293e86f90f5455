package dev.eskit.cli;

import picocli.CommandLine.Option;

/** {@code --raw}: event data as stored, not decoded. */
public final class RawOption {

    @Option(names = "--raw", description = "Show event data as stored instead of decoding it: JSON as written, CBOR"
            + " as its bytes in hex (by default CBOR is shown as JSON).")
    boolean raw;
}

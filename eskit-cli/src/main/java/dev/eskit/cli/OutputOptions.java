package dev.eskit.cli;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output instead of text. */
public final class OutputOptions {

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;
}

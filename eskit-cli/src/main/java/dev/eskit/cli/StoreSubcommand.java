package dev.eskit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * A subcommand on one store: the store options ({@code --url}, {@code --schema}, {@code --prefix},
 * {@code --app-classpath}), {@code --json}, and where to print. Returns its exit code.
 */
abstract class StoreSubcommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;
    @Mixin
    OutputOptions output;
    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the command prints its result. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}

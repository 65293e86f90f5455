package dev.eskit.cli;

import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.StoreAccessException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/**
 * The {@code eskit} command-line tool: inspect a SQLite or PostgreSQL event store, rebuild projections, migrate
 * between stores. See {@code docs/cli.md}.
 *
 * <pre>
 * java -jar eskit-cli/target/eskit-cli.jar streams list --url jdbc:sqlite:app.db
 * </pre>
 */
@Command(name = "eskit", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
        description = "Inspect and migrate eskit event stores (SQLite and PostgreSQL).",
        subcommands = {StreamsCommand.class, EventsCommand.class, StoreCommand.class, ProjectionsCommand.class,
                MigrateCommand.class, CommandsCommand.class, AuditCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done", "  1  a check failed (migrate --verify found a difference, store health is unhealthy)",
                "  2  bad usage (unknown option, malformed URL, position, schema or prefix)",
                "  3  no store there (missing SQLite file, no eskit tables under that schema/prefix)",
                "  4  the database cannot be reached or failed", "  5  the stream, event or projection does not exist",
                "  6  migrate met conflicting events in the target"})
public final class Main implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the tool and exits with its exit code. */
    public static void main(String[] args) {
        // Jdbi logs through SLF4J; without a logging backend SLF4J would print a warning on every run.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the tool with {@code args}, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new Main());
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((error, commandLine, parseResult) -> {
            int code = exitCode(error);
            String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
            commandLine.getErr().println("eskit: " + Text.error(message));
            if (code == ExitCodes.DATABASE && System.getenv("ESKIT_DEBUG") != null) {
                error.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return code;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static int exitCode(Exception error) {
        if (error instanceof CliException cli) {
            return cli.exitCode();
        }
        if (error instanceof InvalidInputException) {
            return ExitCodes.USAGE;
        }
        if (error instanceof StoreAccessException) {
            return ExitCodes.DATABASE;
        }
        return ExitCodes.DATABASE;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Parses a position token, failing with a usage error. */
    static Position position(String token) {
        try {
            return Position.parse(token);
        } catch (InvalidInputException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    /** Parses "type/id", failing with a usage error. */
    static StreamRef streamRef(String value) {
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            throw new CliException(ExitCodes.USAGE, "\"" + value + "\" is not a stream. Write it as TYPE/ID, such"
                    + " as account/a-1.");
        }
        return StreamRef.of(value.substring(0, slash), value.substring(slash + 1));
    }

    static void checkLimit(int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new CliException(ExitCodes.USAGE, "--limit " + limit + " is out of range. Use 1 to 10000.");
        }
    }
}

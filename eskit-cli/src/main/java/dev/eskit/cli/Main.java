package dev.eskit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.InvalidInputException;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.CheckpointInfo;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.RawEvent;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.StoreStats;
import dev.eskit.jdbi.StreamInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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
        subcommands = {Main.Streams.class, Main.Events.class, Main.Store.class, Main.Projections.class,
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

    // ----------------------------------------------------------------------------------------------- streams

    /** {@code eskit streams ...}. */
    @Command(name = "streams", description = "List and show streams.",
            subcommands = {Streams.ListStreams.class, Streams.Show.class})
    static final class Streams implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        /** {@code eskit streams list}. */
        @Command(name = "list", description = "List streams by type and id, with their versions and status.")
        static final class ListStreams implements Callable<Integer> {
            @Mixin
            StoreOptions store;
            @Mixin
            OutputOptions output;
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Option(names = "--type", paramLabel = "TYPE", description = "Only streams of this type.")
            String type;

            @Option(names = "--after", paramLabel = "TYPE/ID", description = "Start after this stream (paging).")
            String after;

            @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: 100).")
            int limit;

            @Override
            public Integer call() {
                checkLimit(limit);
                StreamRef from = after == null ? null : streamRef(after);
                try (JdbiEventStore opened = store.openExisting()) {
                    Views views = new Views(opened.codec());
                    List<StreamInfo> streams = opened.raw().streams(type, from, limit);
                    PrintWriter out = spec.commandLine().getOut();
                    if (output.json) {
                        views.print(out, views.array(streams.stream().map(views::stream).toList()));
                    } else {
                        out.printf("%-24s %-40s %10s  %s%n", "TYPE", "ID", "VERSION", "STATUS");
                        for (StreamInfo stream : streams) {
                            out.printf("%-24s %-40s %10d  %s%n", Text.safe(stream.stream().type()),
                                    Text.safe(stream.stream().id()),
                                    stream.version(), stream.status().name().toLowerCase(java.util.Locale.ROOT));
                        }
                        out.flush();
                    }
                }
                return ExitCodes.OK;
            }
        }

        /** {@code eskit streams show TYPE ID}. */
        @Command(name = "show", description = "Show a stream and its events.")
        static final class Show implements Callable<Integer> {
            @Mixin
            StoreOptions store;
            @Mixin
            OutputOptions output;
            @Mixin
            RawOption raw;
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Parameters(index = "0", paramLabel = "TYPE", description = "The stream type, such as account.")
            String type;

            @Parameters(index = "1", paramLabel = "ID", description = "The stream id.")
            String id;

            @Option(names = "--from", defaultValue = "1", description = "From this version (default: 1).")
            long from;

            @Option(names = "--limit", defaultValue = "1000", description = "At most this many events (default:"
                    + " 1000).")
            int limit;

            @Override
            public Integer call() {
                checkLimit(limit);
                if (from < 0) {
                    throw new CliException(ExitCodes.USAGE, "--from " + from + " is negative. Use 1 (the default) for"
                            + " the whole stream, or the first version to show.");
                }
                StreamRef ref;
                try {
                    ref = StreamRef.of(type, id);
                } catch (InvalidInputException e) {
                    throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
                }
                try (JdbiEventStore opened = store.openExisting()) {
                    Views views = new Views(opened.codec(), raw.raw);
                    Optional<StreamInfo> info = opened.raw().stream(ref);
                    if (info.isEmpty()) {
                        throw new CliException(ExitCodes.NOT_FOUND, "Stream " + ref + " does not exist. List"
                                + " streams with: eskit streams list --type " + type);
                    }
                    List<ObjectNode> events = opened.raw().load(ref, Math.max(1, from), limit).stream()
                            .map(views::event).toList();
                    PrintWriter out = spec.commandLine().getOut();
                    if (output.json) {
                        ObjectNode node = views.stream(info.get());
                        node.set("events", views.array(events));
                        views.print(out, node);
                    } else {
                        out.printf("%s/%s  version %d  %s%n", Text.safe(type), Text.safe(id), info.get().version(),
                                info.get().status().name().toLowerCase(java.util.Locale.ROOT));
                        for (ObjectNode event : events) {
                            out.println(views.eventLine(event));
                        }
                        out.flush();
                    }
                }
                return ExitCodes.OK;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ events

    /** {@code eskit events ...}. */
    @Command(name = "events", description = "Show and search events of the global log.",
            subcommands = {Events.Show.class, Events.Search.class})
    static final class Events implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        /** {@code eskit events show POSITION}. */
        @Command(name = "show", description = "Show the event at a global position (as printed by the listings).")
        static final class Show implements Callable<Integer> {
            @Mixin
            StoreOptions store;
            @Mixin
            OutputOptions output;
            @Mixin
            RawOption raw;
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Parameters(index = "0", paramLabel = "POSITION", description = "A position token, such as 0.42.")
            String token;

            @Override
            public Integer call() {
                Position position = position(token);
                try (JdbiEventStore opened = store.openExisting()) {
                    Views views = new Views(opened.codec(), raw.raw);
                    RawEvent event = opened.raw().at(position).orElseThrow(() -> new CliException(
                            ExitCodes.NOT_FOUND, "No event at position " + token + ". Positions are printed by"
                            + " 'eskit events search' and 'eskit streams show'."));
                    ObjectNode node = views.event(event);
                    PrintWriter out = spec.commandLine().getOut();
                    if (output.json) {
                        views.print(out, node);
                    } else {
                        out.println("position:       " + node.get("position").asText());
                        out.println("id:             " + node.get("id").asText());
                        out.println("stream:         " + Text.safe(event.stream().type()) + "/"
                                + Text.safe(event.stream().id()));
                        out.println("version:        " + event.version());
                        out.println("type:           " + Text.safe(event.eventType()) + " (schema v"
                                + event.schemaVersion()
                                + ")");
                        out.println("timestamp:      " + event.timestamp());
                        out.println("metadata:       " + views.compact(node.get("metadata")));
                        out.println("data (" + Views.dataLabel(node) + "): "
                                + views.compact(node.get("data")));
                        if (node.has("decodeError")) {
                            out.println("decode error:   " + Text.error(node.get("decodeError").asText()));
                        }
                        out.flush();
                    }
                }
                return ExitCodes.OK;
            }
        }

        /** {@code eskit events search}. */
        @Command(name = "search", description = "Find events by type and/or correlation id, in global order.")
        static final class Search implements Callable<Integer> {
            @Mixin
            StoreOptions store;
            @Mixin
            OutputOptions output;
            @Mixin
            RawOption raw;
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Option(names = "--type", paramLabel = "EVENT_TYPE", description = "An event type (repeatable), such"
                    + " as bank.Deposited.")
            List<String> types = new ArrayList<>();

            @Option(names = "--correlation", paramLabel = "ID", description = "Only events with this correlation"
                    + " id (scans the log).")
            String correlation;

            @Option(names = "--after", paramLabel = "POSITION", defaultValue = "0.0",
                    description = "Start after this position (default: the beginning).")
            String after;

            @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: 100).")
            int limit;

            @Override
            public Integer call() {
                checkLimit(limit);
                Position from = position(after);
                Set<String> filter = new LinkedHashSet<>(types);
                try (JdbiEventStore opened = store.openExisting()) {
                    Views views = new Views(opened.codec(), raw.raw);
                    List<ObjectNode> found = new ArrayList<>();
                    Position cursor = from;
                    while (found.size() < limit) {
                        List<RawEvent> page = opened.raw().readAll(cursor, 1000, filter);
                        if (page.isEmpty()) {
                            break;
                        }
                        for (RawEvent event : page) {
                            if (correlation == null || correlation.equals(views.correlationId(event))) {
                                found.add(views.event(event));
                                if (found.size() == limit) {
                                    break;
                                }
                            }
                        }
                        cursor = page.get(page.size() - 1).position();
                    }
                    PrintWriter out = spec.commandLine().getOut();
                    if (output.json) {
                        views.print(out, views.array(found));
                    } else {
                        for (ObjectNode event : found) {
                            out.println(views.eventLine(event));
                        }
                        out.flush();
                    }
                }
                return ExitCodes.OK;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- store

    /** {@code eskit store ...}. */
    @Command(name = "store", description = "Statistics and health of a store.",
            subcommands = {Store.Stats.class, Store.Health.class})
    static final class Store implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        /** {@code eskit store stats}. */
        @Command(name = "stats", description = "Counts of events, streams, event types and checkpoints.")
        static final class Stats implements Callable<Integer> {
            @Mixin
            StoreOptions store;
            @Mixin
            OutputOptions output;
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                try (JdbiEventStore opened = store.openExisting()) {
                    Views views = new Views(opened.codec());
                    StoreStats stats = opened.raw().stats();
                    PrintWriter out = spec.commandLine().getOut();
                    if (output.json) {
                        ObjectNode node = views.mapper().createObjectNode();
                        node.put("database", stats.database());
                        node.put("tables", stats.tables());
                        node.put("schemaVersion", stats.schemaVersion());
                        node.put("events", stats.events());
                        node.put("streams", stats.streams());
                        node.put("checkpoints", stats.checkpoints());
                        node.put("lastPosition", stats.lastPosition().toToken());
                        node.put("firstEventAt", stats.firstEventAt() == null ? null
                                : stats.firstEventAt().toString());
                        node.put("lastEventAt", stats.lastEventAt() == null ? null : stats.lastEventAt().toString());
                        ObjectNode byType = node.putObject("eventsByType");
                        stats.eventsByType().forEach(byType::put);
                        views.print(out, node);
                    } else {
                        out.println("database:       " + stats.database() + " (tables " + stats.tables()
                                + ", schema v" + stats.schemaVersion() + ")");
                        out.println("events:         " + stats.events());
                        out.println("streams:        " + stats.streams());
                        out.println("checkpoints:    " + stats.checkpoints());
                        out.println("last position:  " + stats.lastPosition().toToken());
                        out.println("first event at: " + (stats.firstEventAt() == null ? "-" : stats.firstEventAt()));
                        out.println("last event at:  " + (stats.lastEventAt() == null ? "-" : stats.lastEventAt()));
                        for (Map.Entry<String, Long> entry : stats.eventsByType().entrySet()) {
                            out.printf("  %-40s %d%n", Text.safe(entry.getKey()), entry.getValue());
                        }
                        out.flush();
                    }
                }
                return ExitCodes.OK;
            }
        }

        /** {@code eskit store health}. */
        @Command(name = "health", description = "Checks that the store answers, its tables are current, and"
                + " (with --max-lag) that no checkpoint lags too far behind. Exit code 1 when unhealthy.")
        static final class Health implements Callable<Integer> {
            @Mixin
            StoreOptions store;
            @Mixin
            OutputOptions output;
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Option(names = "--max-lag", paramLabel = "EVENTS", description = "Unhealthy when a checkpoint is more"
                    + " than this many events behind the head of the log.")
            Long maxLag;

            @Override
            public Integer call() {
                if (maxLag != null && maxLag < 0) {
                    throw new CliException(ExitCodes.USAGE, "--max-lag " + maxLag + " is negative. Give the number of"
                            + " events a checkpoint may be behind the head of the log, 0 or more.");
                }
                try (JdbiEventStore opened = store.openExisting()) {
                    Views views = new Views(opened.codec());
                    long started = System.nanoTime();
                    opened.raw().readAll(Position.START, 1, Set.of());
                    long readMillis = (System.nanoTime() - started) / 1_000_000;
                    StoreStats stats = opened.raw().stats();
                    int known = opened.raw().knownSchemaVersion();
                    List<String> problems = new ArrayList<>();
                    if (stats.schemaVersion() < known) {
                        problems.add("the tables are at schema version " + stats.schemaVersion() + ", older than "
                                + known + "; the next application start migrates them");
                    }
                    ArrayNode lags = views.mapper().createArrayNode();
                    for (CheckpointInfo checkpoint : opened.raw().checkpoints()) {
                        long lag = opened.raw().countAfter(checkpoint.position(), Set.of());
                        ObjectNode node = lags.addObject();
                        node.put("name", checkpoint.name());
                        node.put("lag", lag);
                        // Committed events waiting behind an open append transaction (PostgreSQL's read horizon).
                        var held = opened.backlog(checkpoint.position(), Set.of(), 1, java.time.Instant.now());
                        node.put("heldBackSeconds", held.heldBack() ? held.heldBackAge().toSeconds() : 0);
                        if (maxLag != null && lag > maxLag) {
                            problems.add("checkpoint \"" + checkpoint.name() + "\" is " + lag
                                    + " events behind (over --max-lag " + maxLag + ")");
                        }
                    }
                    boolean healthy = problems.isEmpty();
                    PrintWriter out = spec.commandLine().getOut();
                    if (output.json) {
                        ObjectNode node = views.mapper().createObjectNode();
                        node.put("status", healthy ? "ok" : "unhealthy");
                        node.put("database", stats.database());
                        node.put("schemaVersion", stats.schemaVersion());
                        node.put("knownSchemaVersion", known);
                        node.put("readMillis", readMillis);
                        node.put("events", stats.events());
                        node.set("checkpoints", lags);
                        node.set("problems", views.array(problems.stream()
                                .map(com.fasterxml.jackson.databind.node.TextNode::new).toList()));
                        views.print(out, node);
                    } else {
                        out.println((healthy ? "ok" : "unhealthy") + ": " + stats.database() + ", schema v"
                                + stats.schemaVersion() + ", " + stats.events() + " events, first read in "
                                + readMillis + " ms");
                        for (var lag : lags) {
                            long heldBack = lag.get("heldBackSeconds").asLong();
                            out.println("  checkpoint " + Text.safe(lag.get("name").asText()) + ": "
                                    + lag.get("lag").asLong() + " events behind" + (heldBack > 0 ? ", held back "
                                    + heldBack + " s by an open append transaction" : ""));
                        }
                        for (String problem : problems) {
                            out.println("  problem: " + Text.safe(problem));
                        }
                        out.flush();
                    }
                    return healthy ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------- projections

    /** {@code eskit projections ...}. */
    @Command(name = "projections", description = "Projections and subscriptions, by their saved checkpoints.",
            subcommands = {Projections.ListProjections.class, Projections.Rebuild.class})
    static final class Projections implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        /** {@code eskit projections list}. */
        @Command(name = "list", description = "Every saved checkpoint with its position and how many events it"
                + " is behind the head of the log (of all types).")
        static final class ListProjections implements Callable<Integer> {
            @Mixin
            StoreOptions store;
            @Mixin
            OutputOptions output;
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() {
                try (JdbiEventStore opened = store.openExisting()) {
                    Views views = new Views(opened.codec());
                    PrintWriter out = spec.commandLine().getOut();
                    ArrayNode rows = views.mapper().createArrayNode();
                    for (CheckpointInfo checkpoint : opened.raw().checkpoints()) {
                        ObjectNode node = rows.addObject();
                        node.put("name", checkpoint.name());
                        node.put("position", checkpoint.position().toToken());
                        node.put("lag", opened.raw().countAfter(checkpoint.position(), Set.of()));
                        node.put("updatedAt", checkpoint.updatedAt().toString());
                    }
                    if (output.json) {
                        views.print(out, rows);
                    } else {
                        out.printf("%-32s %-16s %10s  %s%n", "NAME", "POSITION", "LAG", "UPDATED");
                        for (var row : rows) {
                            out.printf("%-32s %-16s %10d  %s%n", Text.safe(row.get("name").asText()),
                                    row.get("position").asText(), row.get("lag").asLong(),
                                    row.get("updatedAt").asText());
                        }
                        out.flush();
                    }
                }
                return ExitCodes.OK;
            }
        }

        /** {@code eskit projections rebuild NAME}. */
        @Command(name = "rebuild", description = "Deletes a projection's checkpoint so that it replays the log from"
                + " the start when it next runs. Stop the projection first; it must clear (or overwrite) its read"
                + " model when it starts from the beginning.")
        static final class Rebuild implements Callable<Integer> {
            @Mixin
            StoreOptions store;
            @Mixin
            OutputOptions output;
            @Spec
            CommandLine.Model.CommandSpec spec;

            @Parameters(index = "0", paramLabel = "NAME", description = "The projection's name.")
            String name;

            @Option(names = "--shadow", description = "Follow the zero-downtime rebuild the application runs"
                    + " (ShadowRebuild) instead: print events to go, events/s and ETA until the swap.")
            boolean shadow;

            @Option(names = "--interval-ms", defaultValue = "1000", description = "With --shadow: how often to"
                    + " print progress (default: 1000).")
            long intervalMillis;

            @Option(names = "--timeout-ms", defaultValue = "0", description = "With --shadow: stop watching after"
                    + " this long, exit code 1 (default: 0, no limit).")
            long timeoutMillis;

            @Override
            public Integer call() {
                if (shadow) {
                    try (JdbiEventStore opened = store.openExisting()) {
                        return ShadowWatch.watch(opened, name, java.time.Duration.ofMillis(Math.max(10,
                                intervalMillis)), java.time.Duration.ofMillis(Math.max(0, timeoutMillis)),
                                spec.commandLine().getOut());
                    }
                }
                try (JdbiEventStore opened = store.openForWrite()) {
                    Views views = new Views(opened.codec());
                    Optional<CheckpointInfo> checkpoint = opened.raw().checkpoints().stream()
                            .filter(c -> c.name().equals(name)).findFirst();
                    if (checkpoint.isEmpty()) {
                        throw new CliException(ExitCodes.NOT_FOUND, "No checkpoint named \"" + name + "\". List"
                                + " them with: eskit projections list");
                    }
                    opened.checkpoints().delete(name);
                    PrintWriter out = spec.commandLine().getOut();
                    if (output.json) {
                        ObjectNode node = views.mapper().createObjectNode();
                        node.put("name", name);
                        node.put("previousPosition", checkpoint.get().position().toToken());
                        node.put("rebuild", "scheduled");
                        views.print(out, node);
                    } else {
                        out.println("Checkpoint \"" + Text.safe(name) + "\" (was at "
                                + checkpoint.get().position().toToken()
                                + ") deleted: the projection replays the log from the start when it next runs.");
                        out.flush();
                    }
                }
                return ExitCodes.OK;
            }
        }
    }
}

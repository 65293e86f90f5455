package dev.eskit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.StreamStatus;
import dev.eskit.codec.EventTypes;
import dev.eskit.jdbi.ImportConflictException;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.JdbiSchema;
import dev.eskit.jdbi.RawEvent;
import dev.eskit.jdbi.StreamInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eskit migrate --from URL --to URL}: copies every event of one store into another (SQLite to PostgreSQL, say)
 * in global order and in batches, keeping ids, stream versions, types, schema versions, timestamps, metadata,
 * payload bytes and Dynamic Consistency Boundary tags, then the streams' archived/tombstoned status. The target assigns its own global positions.
 *
 * <p>Resumable: with {@code --checkpoint FILE} the position of the last copied batch is saved after every batch and
 * a second run continues after it. Without a checkpoint a second run re-reads the source and skips events the target
 * already holds (same stream, version and id). Snapshots, checkpoints and idempotency keys are not copied.
 */
@Command(name = "migrate", description = "Copy every event from one store to another, keeping ids, versions,"
        + " timestamps, metadata, tags and order. Progress goes to stderr.")
final class MigrateCommand implements Callable<Integer> {

    @Mixin
    OutputOptions output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", paramLabel = "JDBC_URL", description = "The source store (required unless"
            + " --recode-to).")
    String from;

    @Option(names = "--from-schema", paramLabel = "NAME", description = "PostgreSQL schema of the source tables.")
    String fromSchema;

    @Option(names = "--from-prefix", paramLabel = "PREFIX", defaultValue = "eskit_",
            description = "Table prefix of the source (default: ${DEFAULT-VALUE}).")
    String fromPrefix;

    @Option(names = "--to", required = true, paramLabel = "JDBC_URL", description = "The target store (its tables"
            + " are created when missing).")
    String to;

    @Option(names = "--to-schema", paramLabel = "NAME", description = "PostgreSQL schema of the target tables.")
    String toSchema;

    @Option(names = "--to-prefix", paramLabel = "PREFIX", defaultValue = "eskit_",
            description = "Table prefix of the target (default: ${DEFAULT-VALUE}).")
    String toPrefix;

    @Option(names = "--batch-size", defaultValue = "1000", description = "Events per transaction (1 to 10000,"
            + " default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--dry-run", description = "Check both stores and print what would be copied; write nothing.")
    boolean dryRun;

    @Option(names = "--verify", description = "Afterwards, compare both logs event by event (with --dry-run:"
            + " compare without copying). Exit code 1 on a difference.")
    boolean verify;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "Save progress to FILE after every batch"
            + " and resume from it.")
    Path checkpoint;

    @Option(names = "--recode-to", paramLabel = "FORMAT", description = "Instead of copying: convert the event"
            + " data of the --to store in place to json or cbor, in batches (rerun to continue). Needs the"
            + " application's event types (--app-classpath).")
    String recodeTo;

    @Option(names = "--app-classpath", paramLabel = "PATHS", defaultValue = "${env:ESKIT_APP_CLASSPATH}",
            description = "With --recode-to: the application's jars or class directories (default:"
                    + " $ESKIT_APP_CLASSPATH).")
    String appClasspath;

    private static final EventTypes NO_TYPES = EventTypes.builder().build();

    @Override
    public Integer call() {
        if (batchSize < 1 || batchSize > 10_000) {
            throw new CliException(ExitCodes.USAGE, "--batch-size " + batchSize + " is out of range. Use 1 to"
                    + " 10000.");
        }
        if (recodeTo != null) {
            return Recoding.run(this, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
        if (from == null) {
            throw new CliException(ExitCodes.USAGE, "Missing --from: the store to copy from (or --recode-to to"
                    + " convert --to in place).");
        }
        if (from.equals(to) && String.valueOf(fromSchema).equals(String.valueOf(toSchema))
                && fromPrefix.equals(toPrefix)) {
            throw new CliException(ExitCodes.USAGE, "--from and --to are the same store. Give another URL, schema"
                    + " or prefix for the target.");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Position resume = readCheckpoint();
        try (JdbiEventStore source = StoreOptions.open(from, fromSchema, fromPrefix, false, true, NO_TYPES)) {
            long total = source.raw().stats().events();
            long remaining = source.raw().countAfter(resume, Set.of());
            Views views = new Views(source.codec());
            ObjectNode summary = views.mapper().createObjectNode();
            summary.put("from", StoreOptions.redact(from));
            summary.put("to", StoreOptions.redact(to));
            summary.put("sourceEvents", total);
            summary.put("resumeAfter", resume.toToken());
            if (dryRun) {
                return dryRun(source, remaining, summary, views, out, err);
            }
            Position head = source.raw().stats().lastPosition();
            try (JdbiEventStore target = StoreOptions.open(to, toSchema, toPrefix, true, NO_TYPES)) {
                long copied = 0;
                long written = 0;
                long batches = 0;
                Position cursor = resume;
                while (true) {
                    List<RawEvent> page = readVisible(source, cursor, batchSize);
                    if (page.isEmpty()) {
                        if (cursor.compareTo(head) < 0) {
                            throw new CliException(ExitCodes.DATABASE, "The source's log stops at " + cursor
                                    + ", before its newest event at " + head + ": a transaction on the source"
                                    + " server has been open for a while and holds readers back. Rerun when it has"
                                    + " ended" + (checkpoint == null ? "." : "; the copy continues from "
                                    + checkpoint + "."));
                        }
                        break;
                    }
                    try {
                        written += target.raw().importEvents(page);
                    } catch (ImportConflictException e) {
                        throw new CliException(ExitCodes.CONFLICT, sourceGap(source, page).orElse(
                                "The target store already holds other events: " + Text.error(e.getMessage())), e);
                    }
                    cursor = page.get(page.size() - 1).position();
                    copied += page.size();
                    batches++;
                    writeCheckpoint(cursor);
                    err.printf("eskit migrate: %d of %d events (%d%%), last source position %s%n", copied,
                            remaining, remaining == 0 ? 100 : copied * 100 / remaining, cursor.toToken());
                    err.flush();
                }
                long statuses = copyStatuses(source, target);
                summary.put("read", copied);
                summary.put("written", written);
                summary.put("skipped", copied - written);
                summary.put("batches", batches);
                summary.put("statusesCopied", statuses);
                summary.put("lastSourcePosition", cursor.toToken());
                int code = ExitCodes.OK;
                if (verify) {
                    code = verify(source, target, summary, err);
                }
                report(out, views, summary, "migrated " + copied + " events (" + written + " written, "
                        + (copied - written) + " already there) in " + batches + " batches");
                return code;
            }
        }
    }

    private int dryRun(JdbiEventStore source, long remaining, ObjectNode summary, Views views, PrintWriter out,
                       PrintWriter err) {
        summary.put("dryRun", true);
        summary.put("wouldRead", remaining);
        summary.put("wouldBatches", (remaining + batchSize - 1) / batchSize);
        Optional<JdbiEventStore> target = openTargetIfPresent();
        int code = ExitCodes.OK;
        try {
            if (target.isEmpty()) {
                summary.put("targetEvents", 0);
                summary.put("targetTables", "would be created");
                if (verify) {
                    summary.put("verified", false);
                    summary.put("difference", "the target has no eskit tables");
                    code = ExitCodes.CHECK_FAILED;
                }
            } else {
                summary.put("targetEvents", target.get().raw().stats().events());
                summary.put("targetTables", "exist");
                if (verify) {
                    code = verify(source, target.get(), summary, err);
                }
            }
        } finally {
            target.ifPresent(JdbiEventStore::close);
        }
        report(out, views, summary, "dry run: would copy " + remaining + " events in "
                + summary.get("wouldBatches").asLong() + " batches; target tables "
                + summary.get("targetTables").asText() + " (" + summary.get("targetEvents").asLong() + " events)");
        return code;
    }

    /**
     * A version gap in the source among {@code page}'s streams (events deleted outside eskit), described for the
     * user; empty when the source has none there (the conflict is then the target's).
     */
    private static Optional<String> sourceGap(JdbiEventStore source, List<RawEvent> page) {
        java.util.Map<dev.eskit.StreamRef, Long> last = new java.util.HashMap<>();
        for (RawEvent event : page) {
            Long previous = last.get(event.stream());
            long expected;
            if (previous != null) {
                expected = previous + 1;
            } else if (event.version() > 1) {
                List<RawEvent> before = source.raw().load(event.stream(), event.version() - 1, 1);
                expected = !before.isEmpty() && before.get(0).version() == event.version() - 1 ? event.version()
                        : -1;
            } else {
                expected = 1;
            }
            if (expected != event.version()) {
                return Optional.of("The source store has a version gap: stream " + Text.safe(event.stream())
                        + " has version " + event.version() + " but not version " + (event.version() - 1)
                        + " (events were removed outside eskit). A stream with a gap cannot be copied: restore the"
                        + " missing events in the source, or delete that stream there, then rerun.");
            }
            last.put(event.stream(), event.version());
        }
        return Optional.empty();
    }

    /** The target when its tables exist; empty (having written nothing) when they do not. */
    private Optional<JdbiEventStore> openTargetIfPresent() {
        if (JdbiSchema.databaseOfUrl(to).filter("SQLite"::equals).isPresent()) {
            Path file = StoreOptions.sqliteFile(to);
            if (file != null && !Files.isRegularFile(file)) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StoreOptions.open(to, toSchema, toPrefix, false, true, NO_TYPES));
        } catch (CliException e) {
            if (e.exitCode() == ExitCodes.NO_STORE) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static long copyStatuses(JdbiEventStore source, JdbiEventStore target) {
        long changed = 0;
        StreamRef after = null;
        while (true) {
            List<StreamInfo> page = source.raw().streams(null, after, 1000);
            if (page.isEmpty()) {
                return changed;
            }
            for (StreamInfo stream : page) {
                if (stream.status() == StreamStatus.ACTIVE) {
                    continue;
                }
                StreamStatus current = target.status(stream.stream());
                if (current == stream.status()) {
                    continue;
                }
                if (stream.status() == StreamStatus.ARCHIVED) {
                    target.archive(stream.stream());
                } else {
                    target.tombstone(stream.stream());
                }
                changed++;
            }
            after = page.get(page.size() - 1).stream();
        }
    }

    /** Compares both logs event by event (tags included), and every stream's version and status. */
    private int verify(JdbiEventStore source, JdbiEventStore target, ObjectNode summary, PrintWriter err) {
        Position sourceCursor = Position.START;
        Position targetCursor = Position.START;
        long compared = 0;
        String difference = null;
        while (difference == null) {
            List<RawEvent> expected = readVisible(source, sourceCursor, 1000);
            if (expected.isEmpty()) {
                if (!readVisible(target, targetCursor, 1).isEmpty()) {
                    difference = "the target has more events than the source after " + compared + " events";
                }
                break;
            }
            List<RawEvent> actual = readVisible(target, targetCursor, expected.size());
            for (int i = 0; i < expected.size() && difference == null; i++) {
                if (i >= actual.size()) {
                    difference = "the target has only " + (compared + i) + " events; the source has more (next: "
                            + expected.get(i).id() + ")";
                    break;
                }
                difference = differenceOf(expected.get(i), actual.get(i));
                if (difference == null) {
                    compared++;
                }
            }
            sourceCursor = expected.get(expected.size() - 1).position();
            if (!actual.isEmpty()) {
                targetCursor = actual.get(actual.size() - 1).position();
            }
            err.printf("eskit migrate: verified %d events%n", compared);
            err.flush();
        }
        if (difference == null) {
            difference = compareStreams(source, target);
        }
        summary.put("verified", difference == null);
        summary.put("comparedEvents", compared);
        if (difference != null) {
            summary.put("difference", difference);
            err.println("eskit migrate: verification failed: " + Text.safe(difference));
            err.flush();
            return ExitCodes.CHECK_FAILED;
        }
        return ExitCodes.OK;
    }

    /**
     * Reads a page of the log, waiting a little (up to 10 seconds) when it shows fewer events than asked for although
     * more are stored: on PostgreSQL an unrelated open transaction holds the readable horizon back for a while.
     */
    private static List<RawEvent> readVisible(JdbiEventStore store, Position after, int wanted) {
        List<RawEvent> page = store.raw().readAll(after, wanted, Set.of());
        if (!store.databaseName().equals("PostgreSQL")) {
            return page;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (page.size() < wanted && store.raw().countAfter(after, Set.of()) > page.size()
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            page = store.raw().readAll(after, wanted, Set.of());
        }
        return page;
    }

    private static String differenceOf(RawEvent expected, RawEvent actual) {
        String where = "event " + expected.id() + " (" + expected.stream() + " version " + expected.version()
                + ", source position " + expected.position().toToken() + ")";
        if (!expected.id().equals(actual.id())) {
            return where + ": the target has event " + actual.id() + " in its place";
        }
        if (!expected.stream().equals(actual.stream()) || expected.version() != actual.version()) {
            return where + ": the target has it at " + actual.stream() + " version " + actual.version();
        }
        if (!expected.eventType().equals(actual.eventType()) || expected.schemaVersion() != actual.schemaVersion()) {
            return where + ": the target has type " + actual.eventType() + " v" + actual.schemaVersion();
        }
        if (!expected.timestamp().equals(actual.timestamp())) {
            return where + ": the target's timestamp is " + actual.timestamp() + ", not " + expected.timestamp();
        }
        if (!Arrays.equals(expected.metadata(), actual.metadata())) {
            return where + ": the metadata differs";
        }
        if (!Arrays.equals(expected.data(), actual.data()) || !expected.codec().equals(actual.codec())) {
            return where + ": the data differs";
        }
        if (!expected.tags().equals(actual.tags())) {
            return where + ": the target's tags are " + tagNames(actual) + ", not " + tagNames(expected);
        }
        return null;
    }

    private static List<String> tagNames(RawEvent event) {
        return event.tags().stream().map(dev.eskit.dcb.Tag::value).toList();
    }

    private static String compareStreams(JdbiEventStore source, JdbiEventStore target) {
        StreamRef after = null;
        while (true) {
            List<StreamInfo> expected = source.raw().streams(null, after, 1000);
            if (expected.isEmpty()) {
                return null;
            }
            for (StreamInfo stream : expected) {
                Optional<StreamInfo> actual = target.raw().stream(stream.stream());
                if (actual.isEmpty() || !actual.get().equals(stream)) {
                    return "stream " + stream.stream() + " is at version " + stream.version() + " ("
                            + stream.status() + ") in the source but " + actual.map(s -> "at version " + s.version()
                            + " (" + s.status() + ")").orElse("missing") + " in the target";
                }
            }
            after = expected.get(expected.size() - 1).stream();
        }
    }

    private void report(PrintWriter out, Views views, ObjectNode summary, String text) {
        if (output.json) {
            views.print(out, summary);
        } else {
            out.println(text);
            if (summary.has("verified")) {
                out.println(summary.get("verified").asBoolean() ? "verified: " + summary.get("comparedEvents")
                        .asLong() + " events identical in both stores" : "NOT verified: "
                        + summary.get("difference").asText());
            }
            out.flush();
        }
    }

    // ---------------------------------------------------------------------------------------------- checkpoint

    private Position readCheckpoint() {
        if (checkpoint == null || !Files.exists(checkpoint)) {
            return Position.START;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(checkpoint, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read the checkpoint file " + checkpoint + ": "
                    + e.getMessage(), e);
        }
        String source = properties.getProperty("from");
        String target = properties.getProperty("to");
        if (!StoreOptions.redact(from).equals(source) || !StoreOptions.redact(to).equals(target)) {
            throw new CliException(ExitCodes.USAGE, "The checkpoint file " + checkpoint + " belongs to a migration"
                    + " from " + source + " to " + target + ". Use another --checkpoint file, or delete it to start"
                    + " over.");
        }
        String token = properties.getProperty("position");
        if (token == null) {
            throw new CliException(ExitCodes.USAGE, "The checkpoint file " + checkpoint + " has no position. Delete"
                    + " it to start over.");
        }
        return Main.position(token);
    }

    private void writeCheckpoint(Position position) {
        if (checkpoint == null || dryRun) {
            return;
        }
        Properties properties = new Properties();
        properties.setProperty("from", StoreOptions.redact(from));
        properties.setProperty("to", StoreOptions.redact(to));
        properties.setProperty("position", position.toToken());
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "eskit migrate checkpoint: the last copied source position");
            Path absolute = checkpoint.toAbsolutePath();
            Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
            Files.writeString(temporary, text.toString(), StandardCharsets.UTF_8);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot write the checkpoint file " + checkpoint + ": "
                    + e.getMessage() + ". The events copied so far are in the target; a rerun skips them.", e);
        }
    }
}

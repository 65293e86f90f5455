package dev.eskit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.Position;
import dev.eskit.jdbi.CheckpointInfo;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.StoreStats;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eskit store ...}. */
@Command(name = "store", description = "Statistics and health of a store.",
        subcommands = {StoreCommand.Stats.class, StoreCommand.Health.class})
final class StoreCommand extends CommandGroup {

    /** {@code eskit store stats}. */
    @Command(name = "stats", description = "Counts of events, streams, event types and checkpoints.")
    static final class Stats extends StoreSubcommand {

        @Override
        public Integer call() {
            try (JdbiEventStore opened = store.openExisting()) {
                Views views = new Views(opened.codec());
                StoreStats stats = opened.raw().stats();
                PrintWriter out = out();
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
    static final class Health extends StoreSubcommand {

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
                PrintWriter out = out();
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

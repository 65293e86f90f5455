package dev.eskit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.jdbi.CheckpointInfo;
import dev.eskit.jdbi.JdbiEventStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eskit projections ...}. */
@Command(name = "projections", description = "Projections and subscriptions, by their saved checkpoints.",
        subcommands = {ProjectionsCommand.ListProjections.class, ProjectionsCommand.Rebuild.class,
                ShadowCleanup.class})
final class ProjectionsCommand extends CommandGroup {

    /** {@code eskit projections list}. */
    @Command(name = "list", description = "Every saved checkpoint with its position and how many events it"
            + " is behind the head of the log (of all types).")
    static final class ListProjections extends StoreSubcommand {

        @Override
        public Integer call() {
            try (JdbiEventStore opened = store.openExisting()) {
                Views views = new Views(opened.codec());
                PrintWriter out = out();
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
    static final class Rebuild extends StoreSubcommand {

        @Parameters(index = "0", paramLabel = "NAME", description = "The projection's name.")
        String name;

        @Option(names = "--shadow", description = "Zero-downtime rebuild instead: request it from the application"
                + " nodes (their RebuildRequestWatcher runs the ShadowRebuild), then print events to go, events/s"
                + " and ETA until the swap. Exit code 1 when it fails or times out.")
        boolean shadow;

        @Option(names = "--interval-ms", defaultValue = "1000", description = "With --shadow: how often to"
                + " print progress (default: 1000).")
        long intervalMillis;

        @Option(names = "--pickup-timeout-ms", defaultValue = "60000", description = "With --shadow: withdraw the"
                + " request when no node picks it up within this long, exit code 1 (default: 60000).")
        long pickupMillis;

        @Option(names = "--timeout-ms", defaultValue = "0", description = "With --shadow: stop following after"
                + " this long, exit code 1; the rebuild goes on (default: 0, no limit).")
        long timeoutMillis;

        @Override
        public Integer call() {
            if (shadow) {
                try (JdbiEventStore opened = store.openForWrite()) {
                    return ShadowRequest.run(store, opened, name, Duration.ofMillis(Math.max(10, intervalMillis)),
                            Duration.ofMillis(Math.max(0, pickupMillis)), Duration.ofMillis(Math.max(0,
                            timeoutMillis)), out());
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
                PrintWriter out = out();
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

package dev.eskit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.Position;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.RawEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eskit events ...}. */
@Command(name = "events", description = "Show and search events of the global log.",
        subcommands = {EventsCommand.Show.class, EventsCommand.Search.class})
final class EventsCommand extends CommandGroup {

    /** {@code eskit events show POSITION}. */
    @Command(name = "show", description = "Show the event at a global position (as printed by the listings).")
    static final class Show extends StoreSubcommand {
        @Mixin
        RawOption raw;

        @Parameters(index = "0", paramLabel = "POSITION", description = "A position token, such as 0.42.")
        String token;

        @Override
        public Integer call() {
            Position position = Main.position(token);
            try (JdbiEventStore opened = store.openExisting()) {
                Views views = new Views(opened.codec(), raw.raw);
                RawEvent event = opened.raw().at(position).orElseThrow(() -> new CliException(
                        ExitCodes.NOT_FOUND, "No event at position " + token + ". Positions are printed by"
                        + " 'eskit events search' and 'eskit streams show'."));
                ObjectNode node = views.event(event);
                PrintWriter out = out();
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
                    // JSON escapes C0 controls only: C1 controls (CSI) and bidi overrides need Text.safe too.
                    out.println("metadata:       " + Text.safe(views.compact(node.get("metadata"))));
                    out.println("data (" + Views.dataLabel(node) + "): "
                            + Text.safe(views.compact(node.get("data"))));
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
    static final class Search extends StoreSubcommand {
        @Mixin
        RawOption raw;

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
            Main.checkLimit(limit);
            Position from = Main.position(after);
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
                PrintWriter out = out();
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

package dev.eskit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.EskitException;
import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.audit.AuditEntry;
import dev.eskit.audit.AuditFilter;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.RawEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eskit audit}: who appended what, when, from the events' metadata (initiator, originator, correlation and
 * causation ids); event data is never decoded. Scans the log from {@code --after}.
 */
@Command(name = "audit", description = "List who appended which events when (from event metadata), filtered by"
        + " principal, stream, stream type, time and correlation id. Scans the log; event data is not read.")
final class AuditCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;
    @Mixin
    OutputOptions output;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--principal", paramLabel = "INITIATOR", description = "Only events initiated by this"
            + " principal, exactly as stored (such as user:alice).")
    String principal;

    @Option(names = "--stream", paramLabel = "TYPE/ID", description = "Only events of this stream.")
    String stream;

    @Option(names = "--stream-type", paramLabel = "TYPE", description = "Only events of streams of this type.")
    String streamType;

    @Option(names = "--from", paramLabel = "INSTANT", description = "Only events at or after this time:"
            + " an instant (2026-11-01T00:00:00Z) or an age before now (90m, 2h, 7d).")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Only events before this time: an"
            + " instant or an age before now.")
    String to;

    @Option(names = "--correlation", paramLabel = "ID", description = "Only events with this correlation id.")
    String correlation;

    @Option(names = "--after", paramLabel = "POSITION", defaultValue = "0.0",
            description = "Start after this position (default: the beginning).")
    String after;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: 100).")
    int limit;

    private AuditFilter filter() {
        try {
            AuditFilter filter = AuditFilter.all().initiatedBy(principal).streamType(streamType)
                    .between(Text.when("--from", from), Text.when("--to", to)).correlatedBy(correlation);
            return stream == null ? filter : filter.stream(Main.streamRef(stream));
        } catch (InvalidInputException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        Main.checkLimit(limit);
        Position cursor = Main.position(after);
        AuditFilter filter = filter();
        List<AuditEntry> found = new ArrayList<>();
        try (JdbiEventStore opened = store.openExisting()) {
            while (found.size() < limit) {
                List<RawEvent> page = opened.raw().readAll(cursor, 1000, Set.of());
                for (RawEvent event : page) {
                    AuditEntry entry = AuditEntry.of(event.position(), event.timestamp(), event.stream(),
                            event.version(), event.eventType(), event.id(), metadata(opened, event));
                    if (filter.matches(entry) && found.size() < limit) {
                        found.add(entry);
                    }
                }
                if (page.size() < 1000) {
                    break;
                }
                cursor = page.get(page.size() - 1).position();
            }
        }
        print(found);
        return ExitCodes.OK;
    }

    /** The event's metadata; empty when it cannot be decoded (the line still shows the event). */
    private static Metadata metadata(JdbiEventStore store, RawEvent event) {
        if (event.metadata() == null) {
            return Metadata.empty();
        }
        try {
            return store.codec().decodeMetadata(event.metadata());
        } catch (EskitException | IllegalArgumentException e) {
            return Metadata.empty();
        }
    }

    private void print(List<AuditEntry> entries) {
        PrintWriter out = spec.commandLine().getOut();
        Views views = new Views(null);
        if (output.json) {
            List<ObjectNode> nodes = new ArrayList<>();
            for (AuditEntry entry : entries) {
                ObjectNode node = views.mapper().createObjectNode();
                node.put("position", entry.position().toToken());
                node.put("timestamp", entry.timestamp().toString());
                node.put("initiator", entry.initiator());
                node.put("originator", entry.originator());
                node.put("streamType", entry.stream().type());
                node.put("streamId", entry.stream().id());
                node.put("version", entry.version());
                node.put("type", entry.eventType());
                node.put("eventId", entry.eventId().toString());
                node.put("correlationId", entry.correlationId());
                node.put("causationId", entry.causationId());
                nodes.add(node);
            }
            views.print(out, views.array(nodes));
            return;
        }
        for (AuditEntry entry : entries) {
            out.println(String.format("%-12s %s  %-20s %s/%s v%d  %s  correlation=%s", entry.position().toToken(),
                    entry.timestamp(), Text.safe(String.valueOf(entry.initiator())), Text.safe(entry.stream().type()),
                    Text.safe(entry.stream().id()), entry.version(), Text.safe(entry.eventType()),
                    Text.safe(String.valueOf(entry.correlationId()))));
        }
        out.flush();
    }
}

package dev.eskit.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.InvalidInputException;
import dev.eskit.StreamRef;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.StreamInfo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eskit streams ...}. */
@Command(name = "streams", description = "List and show streams.",
        subcommands = {StreamsCommand.ListStreams.class, StreamsCommand.Show.class})
final class StreamsCommand extends CommandGroup {

    /** {@code eskit streams list}. */
    @Command(name = "list", description = "List streams by type and id, with their versions and status.")
    static final class ListStreams extends StoreSubcommand {

        @Option(names = "--type", paramLabel = "TYPE", description = "Only streams of this type.")
        String type;

        @Option(names = "--after", paramLabel = "TYPE/ID", description = "Start after this stream (paging).")
        String after;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: 100).")
        int limit;

        @Override
        public Integer call() {
            Main.checkLimit(limit);
            StreamRef from = after == null ? null : Main.streamRef(after);
            try (JdbiEventStore opened = store.openExisting()) {
                Views views = new Views(opened.codec());
                List<StreamInfo> streams = opened.raw().streams(type, from, limit);
                PrintWriter out = out();
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
    static final class Show extends StoreSubcommand {
        @Mixin
        RawOption raw;

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
            Main.checkLimit(limit);
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
                PrintWriter out = out();
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

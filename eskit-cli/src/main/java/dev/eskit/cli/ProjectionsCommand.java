package dev.eskit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.jdbi.CheckpointInfo;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.Tenancy;
import dev.eskit.tenancy.TenantId;
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
            + " is behind the head of the log (of all types). A tenant's checkpoint (kept as <tenant>::<name> by"
            + " TenantScope) shows its tenant in the TENANT column and the name the tenant's code gave it.")
    static final class ListProjections extends StoreSubcommand {

        @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's checkpoints, such as"
                + " acme.")
        String tenant;

        @Override
        public Integer call() {
            TenantId only = CommandsCommand.tenant(tenant);
            try (JdbiEventStore opened = store.openExisting()) {
                Views views = new Views(opened.codec());
                PrintWriter out = out();
                ArrayNode rows = views.mapper().createArrayNode();
                for (CheckpointInfo checkpoint : opened.raw().checkpoints()) {
                    Owned owned = Owned.of(checkpoint.name());
                    if (only != null && !only.value().equals(owned.tenant())) {
                        continue;
                    }
                    ObjectNode node = rows.addObject();
                    node.put("tenant", owned.tenant());
                    node.put("name", owned.name());
                    node.put("storedName", checkpoint.name());
                    node.put("position", checkpoint.position().toToken());
                    node.put("lag", opened.raw().countAfter(checkpoint.position(), Set.of()));
                    node.put("updatedAt", checkpoint.updatedAt().toString());
                }
                if (output.json) {
                    views.print(out, rows);
                } else {
                    out.printf("%-16s %-32s %-16s %10s  %s%n", "TENANT", "NAME", "POSITION", "LAG", "UPDATED");
                    for (var row : rows) {
                        out.printf("%-16s %-32s %-16s %10d  %s%n",
                                row.get("tenant").isNull() ? "-" : Text.safe(row.get("tenant").asText()),
                                Text.safe(row.get("name").asText()), row.get("position").asText(),
                                row.get("lag").asLong(), row.get("updatedAt").asText());
                    }
                    out.flush();
                }
            }
            return ExitCodes.OK;
        }
    }

    /**
     * The tenant of a checkpoint and its name as the tenant's code knows it: {@code TenantScope} keeps a tenant's
     * checkpoints as {@code <tenant>::<name>}. A name whose part before {@code ::} is not a tenant id has no tenant.
     */
    record Owned(String tenant, String name) {
        static Owned of(String stored) {
            int at = stored.indexOf(Tenancy.SEPARATOR);
            if (at <= 0) {
                return new Owned(null, stored);
            }
            try {
                return new Owned(TenantId.of(stored.substring(0, at)).value(),
                        stored.substring(at + Tenancy.SEPARATOR.length()));
            } catch (InvalidTenantException notATenant) {
                return new Owned(null, stored);
            }
        }
    }

    /** {@code eskit projections rebuild NAME}. */
    @Command(name = "rebuild", description = "Deletes a projection's checkpoint so that it replays the log from"
            + " the start when it next runs. Stop the projection first; it must clear (or overwrite) its read"
            + " model when it starts from the beginning.")
    static final class Rebuild extends StoreSubcommand {

        @Parameters(index = "0", paramLabel = "NAME", description = "The projection's name.")
        String name;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "The tenant whose projection it is (as"
                + " listed in the TENANT column), such as acme: NAME is then the name in the tenant's code.")
        String tenant;

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
            TenantId owner = CommandsCommand.tenant(tenant);
            String stored = owner == null ? name : owner.value() + Tenancy.SEPARATOR + name;
            if (shadow) {
                if (owner != null) {
                    throw new CliException(ExitCodes.USAGE, "--tenant does not go with --shadow: rebuild requests"
                            + " are keyed by the name the application registered its ShadowRebuild under (one per"
                            + " tenant, such as " + owner + "-" + Text.safe(name) + "; see docs/tenancy.md). Pass that"
                            + " name without --tenant.");
                }
                try (JdbiEventStore opened = store.openForWrite()) {
                    return ShadowRequest.run(store, opened, name, Duration.ofMillis(Math.max(10, intervalMillis)),
                            Duration.ofMillis(Math.max(0, pickupMillis)), Duration.ofMillis(Math.max(0,
                            timeoutMillis)), out());
                }
            }
            try (JdbiEventStore opened = store.openForWrite()) {
                Views views = new Views(opened.codec());
                Optional<CheckpointInfo> checkpoint = opened.raw().checkpoints().stream()
                        .filter(c -> c.name().equals(stored)).findFirst();
                if (checkpoint.isEmpty()) {
                    throw new CliException(ExitCodes.NOT_FOUND, "No checkpoint named \"" + Text.safe(name) + "\""
                            + (owner == null ? "" : " of tenant " + owner) + ". List them with: eskit projections"
                            + " list" + (owner == null ? " (a tenant's projection needs --tenant)" : " --tenant "
                            + owner));
                }
                opened.checkpoints().delete(stored);
                PrintWriter out = out();
                if (output.json) {
                    ObjectNode node = views.mapper().createObjectNode();
                    node.put("tenant", owner == null ? null : owner.value());
                    node.put("name", name);
                    node.put("previousPosition", checkpoint.get().position().toToken());
                    node.put("rebuild", "scheduled");
                    views.print(out, node);
                } else {
                    out.println("Checkpoint \"" + Text.safe(name) + "\"" + (owner == null ? "" : " of tenant "
                            + owner) + " (was at "
                            + checkpoint.get().position().toToken()
                            + ") deleted: the projection replays the log from the start when it next runs.");
                    out.flush();
                }
            }
            return ExitCodes.OK;
        }
    }
}

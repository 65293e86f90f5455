package dev.eskit.cli;

import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.subscription.JdbiRebuildRequests;
import dev.eskit.jdbi.subscription.JdbiTableSwap;
import dev.eskit.projection.rebuild.RebuildRequest;
import dev.eskit.projection.rebuild.ShadowRebuild;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eskit projections cleanup NAME}: drops the shadow tables that crashed or failed rebuilds left behind. */
@Command(name = "cleanup", description = "Drops the shadow tables (<table>_s<run>) and the shadow checkpoint"
        + " (NAME#shadow) that shadow rebuilds of a projection left behind after a crash or a failure. Refuses while a"
        + " rebuild of it is running. The next rebuild also drops them when it starts.")
final class ShadowCleanup implements Callable<Integer> {
    @Mixin
    StoreOptions store;
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The projection's name.")
    String name;

    @Option(names = "--table", paramLabel = "TABLE", description = "A live table of the projection (repeatable),"
            + " such as balances or billing.balances (default: the tables its last rebuild request recorded).")
    List<String> tables = new ArrayList<>();

    @Option(names = "--dry-run", description = "Only list what would be dropped.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (JdbiEventStore opened = store.openForWrite()) {
            Jdbi jdbi = Jdbi.create(store.url);
            Optional<RebuildRequest> request = Optional.empty();
            try {
                request = JdbiRebuildRequests.create(jdbi, opened.tableNames()).find(name);
            } catch (StoreAccessException e) {
                if (tables.isEmpty()) {
                    throw ShadowRequest.missingTable(opened, e);
                }
            }
            if (request.isPresent() && request.get().runningNow()) {
                throw new CliException(ExitCodes.CHECK_FAILED, "A shadow rebuild of \"" + name + "\" is running on"
                        + " node " + request.get().node() + "; its shadow tables are in use. Run cleanup after it"
                        + " ends (or after its node died and the lease ran out).");
            }
            List<String> live = tables.isEmpty() ? request.map(RebuildRequest::tables).orElse(List.of()) : tables;
            if (live.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "No rebuild request of \"" + name + "\" records its tables."
                        + " Name them with --table TABLE (repeatable).");
            }
            List<String> dropped = new ArrayList<>();
            try (Handle handle = jdbi.open()) {
                handle.useTransaction(transaction -> {
                    for (String table : live) {
                        dropped.addAll(dryRun ? JdbiTableSwap.leftovers(transaction, table)
                                : JdbiTableSwap.create().dropLeftovers(transaction, table));
                    }
                });
            } catch (dev.eskit.InvalidInputException e) {
                throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
            }
            String shadow = ShadowRebuild.shadowName(name);
            boolean checkpoint = opened.checkpoints().load(shadow).isPresent();
            if (checkpoint && !dryRun) {
                opened.checkpoints().delete(shadow);
            }
            String verb = dryRun ? "Would drop " : "Dropped ";
            for (String table : dropped) {
                out.println(verb + "table " + Text.safe(table));
            }
            if (checkpoint) {
                out.println(verb + "checkpoint " + Text.safe(shadow));
            }
            if (dropped.isEmpty() && !checkpoint) {
                out.println("No leftovers of shadow rebuilds of \"" + Text.safe(name) + "\" (tables "
                        + Text.safe(String.join(", ", live)) + ").");
            }
            out.flush();
        }
        return ExitCodes.OK;
    }
}

package dev.eskit.cli;

import dev.eskit.jdbi.JdbiSchema;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eskit.command.log.CommandLog;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandLogQuery;
import dev.eskit.command.log.CommandOutcome;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.jdbi.StoreAccessException;
import dev.eskit.jdbi.command.JdbiCommandLog;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.Tenancy;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eskit commands ...}: the command log (see {@code docs/commands.md}). */
@Command(name = "commands", description = "List and show logged commands (the command log).",
        subcommands = {CommandsCommand.ListCommands.class, CommandsCommand.Show.class})
final class CommandsCommand implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs {@code work} on the command log of the store {@code options} name. */
    static <T> T withLog(StoreOptions options, Function<JdbiCommandLog, T> work) {
        try (JdbiEventStore opened = options.openExisting()) {
            Jdbi jdbi = Jdbi.create(options.url);
            if (JdbiSchema.databaseOfUrl(options.url).filter("SQLite"::equals).isPresent()) {
                // A read-only tool opens the file read-only.
                org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
                config.setReadOnly(true);
                org.sqlite.SQLiteDataSource source = new org.sqlite.SQLiteDataSource(config);
                source.setUrl(options.url);
                jdbi = Jdbi.create(source);
            }
            try {
                return work.apply(JdbiCommandLog.reader(jdbi, opened.tableNames()));
            } catch (StoreAccessException e) {
                throw new CliException(ExitCodes.DATABASE, Text.error(e.getMessage()) + ". The command log table"
                        + " needs schema version 6 (this store is at version " + opened.raw().stats().schemaVersion()
                        + "); open the store once with a current eskit to migrate it.", e);
            }
        }
    }

    /**
     * The tenant of an entry and its command id as the tenant knows it: a tenant's entry is kept as
     * {@code <tenant>::<id>} with the tenant in its metadata ({@code TenantScope.commandLog}); an entry recorded by a
     * tenant before ids were scoped has the plain id and the tenant in its metadata. Anything else has no tenant and
     * keeps its id as stored (a plain command id that merely contains {@code ::} is not taken for a tenant's).
     */
    record Owned(String tenant, String commandId) {
        static Owned of(CommandLogEntry e) {
            String marked = e.metadata().extras().get(Tenancy.METADATA_KEY);
            if (marked == null || !validTenant(marked)) {
                return new Owned(null, e.commandId());
            }
            String prefix = marked + Tenancy.SEPARATOR;
            return new Owned(marked, e.commandId().startsWith(prefix) ? e.commandId().substring(prefix.length())
                    : e.commandId());
        }

        private static boolean validTenant(String value) {
            try {
                TenantId.of(value);
                return true;
            } catch (InvalidTenantException e) {
                return false;
            }
        }
    }

    /** The tenant {@code --tenant} names, or {@code null}; a usage error (value escaped) when it is not a tenant id. */
    static TenantId tenant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return TenantId.of(value);
        } catch (InvalidTenantException e) {
            throw new CliException(ExitCodes.USAGE, "--tenant \"" + Text.safe(value) + "\" is not a tenant id. Use"
                    + " the tenant's id as the application passes it to TenantId.of: 1 to 63 lower-case letters,"
                    + " digits, '-' and '_', such as acme.", e);
        }
    }

    /** The log {@code tenant} sees (its view of the shared log), or the shared log when {@code tenant} is null. */
    static CommandLog scoped(JdbiCommandLog log, TenantId tenant) {
        return tenant == null ? log : TenantScope.of(tenant).commandLog(log);
    }

    static ObjectNode json(CommandLogEntry e) {
        ObjectNode node = JSON.createObjectNode();
        Owned owned = Owned.of(e);
        node.put("tenant", owned.tenant());
        node.put("commandId", owned.commandId());
        node.put("type", e.commandType());
        node.put("stream", e.stream().type() + "/" + e.stream().id());
        node.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
        node.put("startedAt", e.startedAt().toString());
        node.put("durationMicros", e.duration().toNanos() / 1_000);
        node.put("eventCount", e.eventCount());
        node.put("firstPosition", e.firstPosition() == null ? null : e.firstPosition().toToken());
        node.put("lastPosition", e.lastPosition() == null ? null : e.lastPosition().toToken());
        node.put("streamVersion", e.streamVersion());
        node.put("error", e.error());
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("correlationId", e.metadata().correlationId());
        metadata.put("causationId", e.metadata().causationId());
        metadata.put("initiator", e.metadata().initiator());
        metadata.put("originator", e.metadata().originator());
        ObjectNode extras = metadata.putObject("extras");
        for (Map.Entry<String, String> extra : e.metadata().extras().entrySet()) {
            extras.put(extra.getKey(), extra.getValue());
        }
        try {
            node.set("payload", JSON.readTree(e.payload()));
        } catch (java.io.IOException notJson) {
            node.put("payload", e.payload());
        }
        return node;
    }

    static void print(PrintWriter out, Object node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("A JSON tree is always writable", e);
        }
        out.flush();
    }

    /** {@code eskit commands list}. */
    @Command(name = "list", description = "List logged commands, newest first.")
    static final class ListCommands implements Callable<Integer> {
        @Mixin
        StoreOptions store;
        @Mixin
        OutputOptions output;
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--type", paramLabel = "COMMAND_TYPE", description = "Only this command type, such as"
                + " bank.Deposit.")
        String type;

        @Option(names = "--outcome", paramLabel = "OUTCOME", description = "Only accepted, rejected or conflict.")
        String outcome;

        @Option(names = "--since", paramLabel = "WHEN", description = "Only commands started at or after WHEN: an"
                + " instant (2026-01-01T00:00:00Z) or an age (90m, 2h, 7d).")
        String since;

        @Option(names = "--until", paramLabel = "WHEN", description = "Only commands started before WHEN.")
        String until;

        @Option(names = "--correlation", paramLabel = "ID", description = "Only commands with this correlation id.")
        String correlation;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: 100).")
        int limit;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant's commands (its view of the"
                + " log), such as acme.")
        String tenant;

        @Override
        public Integer call() {
            Main.checkLimit(limit);
            TenantId only = tenant(tenant);
            CommandOutcome wanted = null;
            if (outcome != null) {
                try {
                    wanted = CommandOutcome.valueOf(outcome.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCodes.USAGE, "--outcome \"" + outcome + "\" is not an outcome. Use"
                            + " accepted, rejected or conflict.", e);
                }
            }
            CommandLogQuery query = CommandLogQuery.latest(limit).withType(type).withOutcome(wanted)
                    .between(Text.when("--since", since), Text.when("--until", until)).withCorrelationId(correlation);
            List<CommandLogEntry> entries = withLog(store, log -> scoped(log, only).list(query));
            PrintWriter out = spec.commandLine().getOut();
            if (output.json) {
                ArrayNode array = JSON.createArrayNode();
                entries.forEach(e -> array.add(json(e)));
                print(out, array);
                return ExitCodes.OK;
            }
            out.printf("%-27s %-9s %-28s %-36s %8s  %-12s %s%n", "STARTED", "OUTCOME", "TYPE", "STREAM", "MS",
                    "TENANT", "COMMAND ID");
            for (CommandLogEntry e : entries) {
                Owned owned = Owned.of(e);
                out.printf("%-27s %-9s %-28s %-36s %8.1f  %-12s %s%n", e.startedAt(),
                        e.outcome().name().toLowerCase(Locale.ROOT), Text.safe(e.commandType()),
                        Text.safe(e.stream().type() + "/" + e.stream().id()), e.duration().toNanos() / 1e6,
                        owned.tenant() == null ? "-" : Text.safe(owned.tenant()), Text.safe(owned.commandId()));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code eskit commands show ID}. */
    @Command(name = "show", description = "Show one logged command: payload, metadata, outcome, events, timing.")
    static final class Show implements Callable<Integer> {
        @Mixin
        StoreOptions store;
        @Mixin
        OutputOptions output;
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "COMMAND_ID", description = "The command id, as listed.")
        String id;

        @Option(names = "--tenant", paramLabel = "TENANT", description = "The tenant whose command it is (as listed"
                + " in the TENANT column), such as acme.")
        String tenant;

        @Override
        public Integer call() {
            TenantId only = tenant(tenant);
            CommandLogEntry e = withLog(store, log -> scoped(log, only).find(id)).orElseThrow(() -> new CliException(
                    ExitCodes.NOT_FOUND, "No logged command \"" + Text.safe(id) + "\"" + (only == null ? ""
                    : " of tenant " + only) + ". List commands with: eskit commands list"
                    + (only == null ? " (a tenant's command needs --tenant)" : " --tenant " + only)));
            PrintWriter out = spec.commandLine().getOut();
            if (output.json) {
                print(out, json(e));
                return ExitCodes.OK;
            }
            Owned owned = Owned.of(e);
            if (owned.tenant() != null) {
                out.println("tenant:         " + Text.safe(owned.tenant()));
            }
            out.println("command id:     " + Text.safe(owned.commandId()));
            out.println("type:           " + Text.safe(e.commandType()));
            out.println("stream:         " + Text.safe(e.stream().type() + "/" + e.stream().id()));
            out.println("outcome:        " + e.outcome().name().toLowerCase(Locale.ROOT));
            out.println("started:        " + e.startedAt() + " (" + e.duration().toNanos() / 1e6 + " ms)");
            if (e.eventCount() > 0) {
                out.println("events:         " + e.eventCount() + " at " + e.firstPosition().toToken() + " .. "
                        + e.lastPosition().toToken() + " (stream version " + e.streamVersion() + ")");
            }
            if (e.error() != null) {
                out.println("error:          " + Text.error(e.error()));
            }
            out.println("correlation id: " + Text.safe(e.metadata().correlationId()));
            out.println("causation id:   " + Text.safe(e.metadata().causationId()));
            out.println("initiator:      " + Text.safe(e.metadata().initiator()));
            if (!e.metadata().extras().isEmpty()) {
                out.println("extras:         " + Text.safe(e.metadata().extras()));
            }
            out.println("payload:        " + Text.safe(e.payload()));
            out.flush();
            return ExitCodes.OK;
        }
    }
}

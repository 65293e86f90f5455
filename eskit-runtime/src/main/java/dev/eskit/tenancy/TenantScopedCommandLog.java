package dev.eskit.tenancy;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.command.log.CommandLog;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandLogQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One tenant's view of a shared {@link CommandLog}: every entry it records is kept under command id
 * {@code <tenant>::<id>} and carries the tenant in its metadata ({@link Tenancy#METADATA_KEY}; an entry of another
 * tenant is refused), and it finds and lists only entries that carry its tenant, with their ids as the tenant knows
 * them. Two tenants that use the same command id therefore get two entries (the shared log keeps the first entry of an
 * id and drops later ones). Retention ({@link #deleteStartedBefore}) runs on the shared log and is refused here.
 */
public final class TenantScopedCommandLog implements CommandLog {

    private final TenantScope scope;
    private final CommandLog shared;

    TenantScopedCommandLog(TenantScope scope, CommandLog shared) {
        this.scope = scope;
        this.shared = Objects.requireNonNull(shared, "shared");
    }

    /** The tenant's scope. */
    public TenantScope scope() {
        return scope;
    }

    /** The entry as the shared log keeps it: its command id as {@code <tenant>::<id>}, its metadata marked. */
    private CommandLogEntry marked(CommandLogEntry e) {
        return new CommandLogEntry(scope.name("Command id", e.commandId()), e.commandType(), e.stream(), e.payload(),
                scope.mark(e.metadata()), e.outcome(), e.eventCount(), e.firstPosition(), e.lastPosition(),
                e.streamVersion(), e.error(), e.startedAt(), e.duration());
    }

    private boolean owns(CommandLogEntry entry) {
        return scope.tenant().value().equals(entry.metadata().extras().get(Tenancy.METADATA_KEY));
    }

    /**
     * The entry as the tenant knows it: the command id without the tenant prefix (entries recorded by a view before
     * command ids were scoped have no prefix and are handed back as they are).
     */
    private CommandLogEntry unscoped(CommandLogEntry e) {
        if (!scope.owns(e.commandId())) {
            return e;
        }
        return new CommandLogEntry(scope.unscoped(e.commandId()), e.commandType(), e.stream(), e.payload(),
                e.metadata(), e.outcome(), e.eventCount(), e.firstPosition(), e.lastPosition(), e.streamVersion(),
                e.error(), e.startedAt(), e.duration());
    }

    @Override
    public void record(CommandLogEntry entry) {
        shared.record(marked(Objects.requireNonNull(entry, "entry")));
    }

    @Override
    public AppendResult appendAndRecord(EventStore store, AppendRequest request,
                                        Function<AppendResult, CommandLogEntry> entry) {
        return shared.appendAndRecord(store, request, result -> marked(entry.apply(result)));
    }

    @Override
    public Optional<CommandLogEntry> find(String commandId) {
        String scoped = scope.name("Command id", commandId);
        Optional<CommandLogEntry> found = shared.find(scoped).filter(this::owns);
        if (found.isEmpty() && !scope.owns(commandId)) {
            // An entry this view recorded before command ids were scoped.
            found = shared.find(commandId).filter(this::owns);
        }
        return found.map(this::unscoped);
    }

    /**
     * The tenant's entries among the entries {@code query} selects in the shared log: a query of limit n reads the
     * newest n shared entries that match, so it may return fewer than n when other tenants' commands are among them.
     */
    @Override
    public List<CommandLogEntry> list(CommandLogQuery query) {
        List<CommandLogEntry> result = new ArrayList<>();
        for (CommandLogEntry entry : shared.list(query)) {
            if (owns(entry)) {
                result.add(unscoped(entry));
            }
        }
        return result;
    }

    @Override
    public int deleteStartedBefore(Instant cutoff) {
        throw new InvalidInputException("Command log retention deletes every tenant's entries: run it on the shared"
                + " log (CommandRecorder.retention on a recorder of the shared log), not on tenant \"" + scope.tenant()
                + "\"'s view.");
    }

    /**
     * The shared log's protector, keyed to this tenant's subjects: a recorder of this view encrypts payloads under the
     * tenant's keys even when the command's context names no tenant.
     */
    @Override
    public Optional<dev.eskit.gdpr.PersonalDataProtector> personalData() {
        return shared.personalData().map(protector -> protector.forTenant(scope.tenant()));
    }
}

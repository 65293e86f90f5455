package dev.eskit.command.log;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.EventStore;
import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.StoredEvent;
import dev.eskit.command.CommandEnvelope;
import dev.eskit.command.CommandMiddleware;
import dev.eskit.command.CommandResult;
import dev.eskit.command.CommandType;
import dev.eskit.command.CommandTypes;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.store.ForwardingEventStore;
import dev.eskit.tenancy.TenantScope;
import dev.eskit.tenancy.TenantScopedCommandLog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every command a bus handles to a {@link CommandLog}: id, wire name, payload (with {@code @PersonalData}
 * fields encrypted like events', so forgetting a subject shreds them in the log too), metadata, outcome, event
 * positions and timing. One line turns it on:
 *
 * <pre>{@code
 * CommandBus bus = CommandBus.builder(store)
 *     .register(CommandRouteRegistry.discover())
 *     .commandLog(CommandRecorder.of(JdbiCommandLog.create(jdbi, store), CommandTypes.discover()))
 *     .build();
 * }</pre>
 *
 * <p>An accepted command that appended events is logged by the append itself ({@link CommandLog#appendAndRecord}),
 * in the events' transaction when the log is in the store's database; every other outcome is logged after the
 * command returns or throws. A failure to log a rejection or a no-op is written to the SLF4J log and never changes
 * the command's result. Commands whose class has no {@link CommandType} are logged under their class name without
 * payload.
 */
public final class CommandRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRecorder.class);

    private final CommandLog log;
    /** The log retention runs on: {@link #log}, or the shared log of a tenant's copy ({@link #forTenant}). */
    private final CommandLog purged;
    private final CommandTypes types;
    private final PersonalDataProtector protector;
    /** Whether {@link #protector} is the log's own ({@link CommandLog#personalData()}), not one given by hand. */
    private final boolean protectorOfLog;
    private final Duration retention;
    private final Clock clock;
    private final ThreadLocal<Pending> current = new ThreadLocal<>();
    /** Shared with tenants' copies, so that retention runs once a minute whatever the number of tenants. */
    private final AtomicLong lastPurge;

    private CommandRecorder(CommandLog log, CommandLog purged, CommandTypes types, PersonalDataProtector protector,
                            boolean protectorOfLog, Duration retention, Clock clock, AtomicLong lastPurge) {
        this.log = Objects.requireNonNull(log, "log");
        this.purged = purged;
        this.types = Objects.requireNonNull(types, "types");
        this.protector = protector;
        this.protectorOfLog = protectorOfLog;
        this.retention = retention;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastPurge = lastPurge;
    }

    /**
     * A recorder into {@code log} that names and encodes commands with {@code types}; keeps entries forever. When the
     * log belongs to a store with a personal-data protector ({@link CommandLog#personalData()}, as a
     * {@code JdbiCommandLog} of a protected store does), payloads are encrypted with it.
     */
    public static CommandRecorder of(CommandLog log, CommandTypes types) {
        Objects.requireNonNull(log, "log");
        return new CommandRecorder(log, log, types, log.personalData().orElse(null), true, null, Clock.systemUTC(),
                new AtomicLong(Long.MIN_VALUE));
    }

    /** A copy that encrypts the {@code @PersonalData} fields of payloads with {@code value}'s subject keys. */
    public CommandRecorder personalData(PersonalDataProtector value) {
        return new CommandRecorder(log, purged, types, Objects.requireNonNull(value, "protector"), false, retention,
                clock, lastPurge);
    }

    /**
     * This recorder as the bus of tenant {@code scope} uses it: entries go to the tenant's view of the log
     * ({@code scope.commandLog(log)}: command ids kept as {@code <tenant>::<id>}, found and listed only by the
     * tenant), payloads and personal metadata are encrypted under the tenant's keys, and retention still runs on the
     * shared log. {@code CommandBus.Builder.build} calls it (through {@link TenantScope#adopt}) for a bus on a
     * tenant's store, so a tenant's bus given the shared log never writes an unscoped entry. A recorder of this
     * tenant's view is returned as it is.
     *
     * @throws dev.eskit.tenancy.InvalidTenantException when the log or the protector is another tenant's
     */
    public CommandRecorder forTenant(TenantScope scope) {
        Objects.requireNonNull(scope, "scope");
        CommandLog view = scope.commandLog(log);
        if (view == log) {
            return this;
        }
        PersonalDataProtector scoped = protectorOfLog ? view.personalData().orElse(null)
                : protector.forTenant(scope.tenant());
        return new CommandRecorder(view, purged, types, scoped, protectorOfLog, retention, clock, lastPurge);
    }

    /**
     * A copy that deletes entries older than {@code value}: at most once a minute, the thread that records an entry
     * also deletes the expired ones.
     *
     * @throws InvalidInputException when {@code value} is shorter than a minute
     */
    public CommandRecorder retention(Duration value) {
        if (value.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new InvalidInputException("Command log retention " + value + " is shorter than a minute. Keep"
                    + " entries for a minute or more (days are typical).");
        }
        return new CommandRecorder(log, purged, types, protector, protectorOfLog, value, clock, lastPurge);
    }

    /** A copy that reads time from {@code value} (for tests). */
    public CommandRecorder clock(Clock value) {
        return new CommandRecorder(log, purged, types, protector, protectorOfLog, retention, value, lastPurge);
    }

    /**
     * The payload of {@code entry} with its personal data decrypted, or with placeholders ({@code "[erased]"}) where
     * the subject was forgotten; the stored payload as it is when this recorder has no protector.
     */
    public String readablePayload(CommandLogEntry entry) {
        if (protector == null || !protector.appliesTo(entry.commandType())) {
            return entry.payload();
        }
        // A tenant's entry read from the shared log: its payload is bound to the command id as the tenant knows it.
        String id = entry.commandId();
        String tenant = entry.metadata().extras().get(dev.eskit.tenancy.Tenancy.METADATA_KEY);
        if (tenant != null && id.startsWith(tenant + dev.eskit.tenancy.Tenancy.SEPARATOR)) {
            id = id.substring(tenant.length() + dev.eskit.tenancy.Tenancy.SEPARATOR.length());
        }
        return protector.readableCommand(entry.commandType(), id, entry.payload());
    }

    /** The log written to. */
    public CommandLog log() {
        return log;
    }

    /**
     * The middleware that logs each command; add it outermost, and build the handlers on {@link #wrap(EventStore)}
     * so that appends are logged with their events. {@code CommandBus.Builder.commandLog} does both.
     */
    public CommandMiddleware middleware() {
        return this::handle;
    }

    /**
     * {@code store} with the appends of logged commands going through {@link CommandLog#appendAndRecord}.
     *
     * @throws dev.eskit.tenancy.InvalidTenantException when {@code store} is a tenant's and this recorder does not
     *                                                  record into that tenant's view of its log: use
     *                                                  {@link #forTenant} (as {@code CommandBus.Builder} does)
     */
    public EventStore wrap(EventStore store) {
        Optional<TenantScope> scope = TenantScope.of(store);
        if (scope.isPresent() && !(log instanceof TenantScopedCommandLog view && view.scope().equals(scope.get()))) {
            throw new dev.eskit.tenancy.InvalidTenantException("A command recorder of " + (log
                    instanceof TenantScopedCommandLog other ? "tenant \"" + other.scope().tenant() + "\"'s log"
                    : "a shared log") + " would log the commands of tenant \"" + scope.get().tenant() + "\" outside"
                    + " the tenant. Record them with recorder.forTenant(TenantScope.of(tenant)), or let"
                    + " CommandBus.builder(tenantStore)"
                    + ".commandLog(recorder) do it.");
        }
        return new Recording(store);
    }

    /** A command being handled on this thread. */
    private final class Pending {
        final CommandEnvelope envelope;
        /** The log its entry goes to ({@link #logOf}). */
        final CommandLog log;
        final Instant startedAt;
        final long startNanos;
        boolean recorded;

        Pending(CommandEnvelope envelope) {
            this.envelope = envelope;
            this.log = logOf(envelope.context());
            this.startedAt = clock.instant();
            this.startNanos = System.nanoTime();
        }

        CommandLogEntry entry(Metadata metadata, CommandOutcome outcome, List<StoredEvent<Object>> events,
                              long version, String error) {
            Optional<CommandType<?>> type = types.byClass(envelope.command().getClass());
            String name = type.map(CommandType::name).orElse(envelope.command().getClass().getName());
            String payload = type.isPresent() ? payload(name, envelope.context().commandId(), envelope.command(),
                    metadata) : "null";
            int count = events.size();
            Metadata stored = protector == null ? metadata : protector.sealMetadata(metadata);
            return new CommandLogEntry(envelope.context().commandId(), name, envelope.stream(), payload, stored,
                    outcome, count, count == 0 ? null : events.get(0).position(),
                    count == 0 ? null : events.get(count - 1).position(), version, error, startedAt,
                    Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }

    private String payload(String name, String commandId, Object command, Metadata metadata) {
        byte[] json = types.encode(command);
        return protector == null ? new String(json, StandardCharsets.UTF_8)
                : protector.protectCommand(name, commandId, json, metadata);
    }

    private String error(String name, RuntimeException e) {
        String text = e.getClass().getName() + ": " + e.getMessage();
        // The message may quote personal data, which must not outlive a forget in the log.
        return protector == null ? text : protector.redactCommandError(name, text);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private CommandResult<?, ?> handle(CommandEnvelope envelope, CommandMiddleware.Next next) {
        Pending outer = current.get();
        // Resolves the log first: a command naming another tenant than the log's is refused before it runs.
        Pending pending = new Pending(envelope);
        current.set(pending);
        try {
            CommandResult<?, ?> result;
            try {
                result = next.proceed(envelope);
            } catch (ConcurrencyException conflict) {
                recordQuietly(pending, CommandOutcome.CONFLICT, conflict);
                throw conflict;
            } catch (RuntimeException rejected) {
                recordQuietly(pending, CommandOutcome.REJECTED, rejected);
                throw rejected;
            }
            if (!pending.recorded) {
                // No events, or a duplicate of an earlier delivery: logged outside any append.
                List<StoredEvent<Object>> events = (List) result.events();
                recordQuietly(pending, pending.entry(envelope.context().eventMetadata(), CommandOutcome.ACCEPTED,
                        events, result.version(), null));
            }
            return result;
        } finally {
            if (outer == null) {
                current.remove();
            } else {
                current.set(outer);
            }
            purgeIfDue();
        }
    }

    private void recordQuietly(Pending pending, CommandOutcome outcome, RuntimeException failure) {
        if (pending.recorded) {
            return;
        }
        String name = types.byClass(pending.envelope.command().getClass()).map(CommandType::name)
                .orElse(pending.envelope.command().getClass().getName());
        try {
            recordQuietly(pending, pending.entry(pending.envelope.context().eventMetadata(), outcome, List.of(), 0,
                    error(name, failure)));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void recordQuietly(Pending pending, CommandLogEntry entry) {
        try {
            pending.log.record(entry);
            pending.recorded = true;
        } catch (RuntimeException e) {
            LOG.warn("Command {} ({}) could not be written to the command log; the command itself is unaffected."
                    + " Check the log's table and database.", entry.commandId(), entry.commandType(), e);
        }
    }

    /**
     * The log a command's entry goes to: a command whose context names its tenant ({@code Tenancy.withTenant}) is kept
     * in that tenant's view even by a recorder of the shared log (middleware added by hand to a tenant's bus), so no
     * tenant's command is logged unscoped.
     *
     * @throws dev.eskit.tenancy.InvalidTenantException when the context names an invalid tenant, or another tenant than
     *                                                  the one whose view this recorder records into
     */
    private CommandLog logOf(dev.eskit.command.CommandContext context) {
        if (log instanceof TenantScopedCommandLog view) {
            view.scope().mark(context.metadata());
            return log;
        }
        return dev.eskit.tenancy.Tenancy.tenantOf(context).map(tenant -> TenantScope.of(tenant).commandLog(log))
                .orElse(log);
    }

    private void purgeIfDue() {
        if (retention == null) {
            return;
        }
        long now = clock.millis();
        long last = lastPurge.get();
        if (last != Long.MIN_VALUE && now - last < 60_000) {
            return;
        }
        if (lastPurge.compareAndSet(last, now)) {
            try {
                int deleted = purged.deleteStartedBefore(clock.instant().minus(retention));
                LOG.debug("Deleted {} command log entries older than {}", deleted, retention);
            } catch (RuntimeException e) {
                LOG.warn("Expired command log entries could not be deleted; trying again in a minute.", e);
            }
        }
    }

    /** The store the logged handlers append through. */
    private final class Recording extends ForwardingEventStore {
        Recording(EventStore delegate) {
            super(delegate);
        }

        @Override
        public AppendResult append(AppendRequest request) {
            Pending pending = current.get();
            if (pending == null || pending.recorded || !pending.envelope.stream().equals(request.stream())) {
                return delegate.append(request);
            }
            AppendResult result = pending.log.appendAndRecord(delegate, request, appended -> pending.entry(
                    request.metadata(), CommandOutcome.ACCEPTED, appended.events(), appended.streamVersion(), null));
            if (!result.duplicate()) {
                pending.recorded = true;
            }
            return result;
        }
    }
}

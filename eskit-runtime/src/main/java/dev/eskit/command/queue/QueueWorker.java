package dev.eskit.command.queue;

import dev.eskit.ConcurrencyException;
import dev.eskit.EskitException;
import dev.eskit.InvalidInputException;
import dev.eskit.Retry;
import dev.eskit.UnknownCommandException;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandDecodingException;
import dev.eskit.command.CommandResult;
import dev.eskit.command.CommandTypes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one claimed command and records its outcome. */
final class QueueWorker {

    private static final Logger LOG = LoggerFactory.getLogger(CommandQueue.class);

    private final CommandQueueStore store;
    private final CommandBus bus;
    private final CommandTypes types;
    private final Retry retry;
    private final Clock clock;
    private final Predicate<RuntimeException> transientError;
    private final Consumer<QueueResult> completed;
    private final dev.eskit.gdpr.PersonalDataProtector protector;
    private final java.time.Duration lease;

    QueueWorker(CommandQueueStore store, CommandBus bus, CommandTypes types, Retry retry, Clock clock,
                Predicate<RuntimeException> transientError, Consumer<QueueResult> completed,
                dev.eskit.gdpr.PersonalDataProtector protector, java.time.Duration lease) {
        this.protector = protector;
        this.lease = lease;
        this.store = store;
        this.bus = bus;
        this.types = types;
        this.retry = retry;
        this.clock = clock;
        this.transientError = transientError;
        this.completed = completed;
    }

    /**
     * The default: conflicts and eskit's own failures other than bad input (a store that cannot be reached). Failures
     * that the same command meets again on every attempt are not transient: bad input, an unknown type, a payload
     * that does not decode, events that cannot be encoded.
     */
    static boolean isTransient(RuntimeException e) {
        return e instanceof ConcurrencyException || (e instanceof EskitException && !poison(e));
    }

    private static boolean poison(RuntimeException e) {
        return e instanceof UnknownCommandException || e instanceof CommandDecodingException
                || e instanceof InvalidInputException || e instanceof dev.eskit.EventEncodingException;
    }

    /** Runs one claimed command and records its outcome at once. */
    void process(QueueClaim claim) {
        QueueFinish finish = run(claim);
        if (finish != null) {
            finish(List.of(finish));
        }
    }

    /**
     * Runs one claimed command; returns the outcome still to record, or null when there is none (recorded with the
     * append already, or scheduled for a retry).
     */
    QueueFinish run(QueueClaim claim) {
        QueuedCommand queued = claim.command();
        if (queued.attempts() > retry.maxAttempts()) {
            // Every claim counts an attempt, and a failed attempt past the last one goes DEAD in run(). A claim past
            // the last attempt therefore follows claims that recorded no outcome: their leases ended first.
            int lost = queued.attempts() - 1;
            // Without a recorded error (retries record theirs) every earlier attempt lost its lease.
            String expired = queued.lastError() == null ? lost + " times" : "on some of them (the last error recorded: "
                    + queued.lastError() + ")";
            String error = "gave up after " + lost + " attempts: the lease of " + lease + " expired before the"
                    + " command finished " + expired + ". Raise"
                    + " CommandQueue.Builder.lease above the time the longest batch takes (a batch is batchSize"
                    + " commands run one after another), then requeue it; an append an earlier attempt made is"
                    + " returned, not repeated.";
            LOG.warn("Queued command {} ({}) is dead: {}", queued.id(), queued.commandType(), error);
            return new QueueFinish(claim, new QueueResult(queued.id(), QueueStatus.DEAD, 0, 0, null, null, error));
        }
        QueueAppends.InFlight flight = new QueueAppends.InFlight(store, claim);
        QueueAppends.InFlight outer = QueueAppends.CURRENT.get();
        QueueAppends.CURRENT.set(flight);
        try {
            byte[] payload = queued.payload() == null ? new byte[0] : protector == null
                    ? queued.payload().getBytes(StandardCharsets.UTF_8)
                    : protector.openCommand(queued.commandType(), queued.id(), queued.payload());
            Object command = types.decode(queued.commandType(), queued.commandVersion(), payload);
            // Personal metadata stays sealed: the events and the command log keep the same sealed values.
            CommandResult<?, ?> result = bus.send(command, new CommandContext(queued.id(), queued.metadata(),
                    queued.id()));
            if (flight.finished != null) {
                completed.accept(flight.finished);
                return null;
            }
            int count = result.events().size();
            return new QueueFinish(claim, new QueueResult(queued.id(), QueueStatus.SUCCEEDED, result.version(), count,
                    count == 0 ? null : result.events().get(0).position(),
                    count == 0 ? null : result.events().get(count - 1).position(), null));
        } catch (RuntimeException e) {
            if (flight.finished != null) {
                // The events and the outcome committed together; what failed after them changes neither.
                LOG.warn("Queued command {} ({}) succeeded, but the bus failed after its append", queued.id(),
                        queued.commandType(), e);
                completed.accept(flight.finished);
                return null;
            }
            String error = describe(e);
            if (protector != null) {
                // The message may quote the command's personal data, which must not outlive a forget in the queue.
                error = protector.redactCommandError(queued.commandType(), error);
            }
            if (poison(e)) {
                LOG.warn("Queued command {} ({}) is dead: {}", queued.id(), queued.commandType(), error);
                return new QueueFinish(claim, new QueueResult(queued.id(), QueueStatus.DEAD, 0, 0, null, null, error));
            } else if (transientError.test(e)) {
                if (queued.attempts() >= retry.maxAttempts()) {
                    LOG.warn("Queued command {} ({}) is dead after {} attempts: {}", queued.id(),
                            queued.commandType(), queued.attempts(), error);
                    return new QueueFinish(claim, new QueueResult(queued.id(), QueueStatus.DEAD, 0, 0, null, null,
                            "gave up after " + queued.attempts() + " attempts: " + error));
                }
                retry(claim, error);
                return null;
            }
            return new QueueFinish(claim, new QueueResult(queued.id(), QueueStatus.REJECTED, 0, 0, null, null,
                    error));
        } finally {
            if (outer == null) {
                QueueAppends.CURRENT.remove();
            } else {
                QueueAppends.CURRENT.set(outer);
            }
        }
    }

    /** Records outcomes in one transaction where the store has them, and completes the awaits of those held. */
    void finish(List<QueueFinish> finishes) {
        if (finishes.isEmpty()) {
            return;
        }
        boolean[] held;
        try {
            held = store.finishAll(finishes);
        } catch (RuntimeException e) {
            // The leases end and the commands run again; their idempotency keys keep the effects single.
            LOG.warn("The outcomes of {} queued commands cannot be recorded; they will run again after their lease",
                    finishes.size(), e);
            return;
        }
        for (int i = 0; i < held.length; i++) {
            if (held[i]) {
                completed.accept(finishes.get(i).result());
            } else {
                LOG.warn("The lease on queued command {} ended before it finished; another worker has it now. Use a"
                        + " lease longer than the longest batch.", finishes.get(i).claim().command().id());
            }
        }
    }

    private void retry(QueueClaim claim, String error) {
        try {
            store.retry(claim, error, clock.instant().plus(retry.pauseAfter(claim.command().attempts())));
        } catch (RuntimeException e) {
            LOG.warn("Queued command {} cannot be scheduled for retry; it will run again after its lease",
                    claim.command().id(), e);
        }
    }

    /** Gives unstarted claims back: pending again at once. */
    void giveBack(List<QueueClaim> claims) {
        for (QueueClaim claim : claims) {
            try {
                store.retry(claim, "given back: the worker stopped before running it", clock.instant());
            } catch (RuntimeException e) {
                LOG.debug("Cannot give back queued command {}", claim.command().id(), e);
            }
        }
    }

    static String describe(Throwable e) {
        String text = e.getClass().getName() + ": " + e.getMessage();
        return text.length() > 4000 ? text.substring(0, 3997) + "..." : text;
    }
}

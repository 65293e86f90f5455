package dev.eskit.command.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.AppendRequest;
import dev.eskit.AppendResult;
import dev.eskit.ConcurrencyException;
import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.Retry;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandResult;
import dev.eskit.gdpr.InMemorySubjectKeyStore;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.store.ForwardingEventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CommandRecorderTest {

    private final EventStore store = EventStore.inMemory(Shop.EVENTS);
    private final CommandLog log = CommandLog.inMemory();

    private CommandBus bus(CommandRecorder recorder) {
        return CommandBus.builder(store).register(Shop.routes()).commandLog(recorder).build();
    }

    @Test
    void acceptedCommandIsLoggedWithItsEventPositionsAndMetadata() {
        CommandBus bus = bus(CommandRecorder.of(log, Shop.COMMANDS));
        bus.send(new Shop.Register("c-1", "ann@example.com"));
        CommandContext context = new CommandContext("cmd-2", Metadata.correlatedBy("checkout-7"), null);
        CommandResult<?, ?> result = bus.send(new Shop.Order("c-1", 3), context);

        CommandLogEntry entry = log.find("cmd-2").orElseThrow();
        assertEquals("shop.Order", entry.commandType());
        assertEquals(CommandOutcome.ACCEPTED, entry.outcome());
        assertEquals(2, entry.eventCount());
        assertEquals(result.events().get(0).position(), entry.firstPosition());
        assertEquals(result.events().get(1).position(), entry.lastPosition());
        assertEquals(3, entry.streamVersion());
        assertEquals("checkout-7", entry.metadata().correlationId());
        assertEquals("cmd-2", entry.metadata().causationId());
        assertEquals("{\"customerId\":\"c-1\",\"items\":3}", entry.payload());
        assertEquals("customer", entry.stream().type());
        assertNull(entry.error());
        assertFalse(entry.duration().isNegative());
    }

    @Test
    void rejectedCommandIsLoggedWithTheErrorAndRethrown() {
        CommandBus bus = bus(CommandRecorder.of(log, Shop.COMMANDS));
        CommandContext context = new CommandContext("cmd-1", null, null);
        assertThrows(IllegalStateException.class, () -> bus.send(new Shop.Order("c-9", 1), context));

        CommandLogEntry entry = log.find("cmd-1").orElseThrow();
        assertEquals(CommandOutcome.REJECTED, entry.outcome());
        assertEquals(0, entry.eventCount());
        assertNull(entry.firstPosition());
        assertEquals("java.lang.IllegalStateException: customer c-9 is not registered", entry.error());
    }

    @Test
    void conflictAfterEveryRetryIsLoggedAsConflict() {
        AtomicInteger appends = new AtomicInteger();
        EventStore conflicting = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(AppendRequest request) {
                appends.incrementAndGet();
                throw new ConcurrencyException(request.stream(), request.expected(), 99);
            }
        };
        CommandBus bus = CommandBus.builder(conflicting).register(Shop.routes())
                .retry(new Retry(3, Duration.ZERO, Duration.ZERO, false))
                .commandLog(CommandRecorder.of(log, Shop.COMMANDS)).build();
        assertThrows(ConcurrencyException.class,
                () -> bus.send(new Shop.Register("c-1", "a@b"), new CommandContext("cmd-1", null, null)));

        assertEquals(3, appends.get());
        CommandLogEntry entry = log.find("cmd-1").orElseThrow();
        assertEquals(CommandOutcome.CONFLICT, entry.outcome());
        assertTrue(entry.error().startsWith("dev.eskit.ConcurrencyException"), entry.error());
    }

    @Test
    void commandWithoutEventsIsAcceptedWithoutPositions() {
        bus(CommandRecorder.of(log, Shop.COMMANDS)).send(new Shop.Touch("c-1"), new CommandContext("t", null, null));
        CommandLogEntry entry = log.find("t").orElseThrow();
        assertEquals(CommandOutcome.ACCEPTED, entry.outcome());
        assertEquals(0, entry.eventCount());
    }

    @Test
    void withoutTheRecorderNothingIsLogged() {
        CommandBus.builder(store).register(Shop.routes()).build()
                .send(new Shop.Register("c-1", "a@b"), new CommandContext("x", null, null));
        assertTrue(log.find("x").isEmpty());
    }

    @Test
    void queriesFilterByTypeOutcomeTimeAndCorrelation() {
        CommandBus bus = bus(CommandRecorder.of(log, Shop.COMMANDS));
        bus.send(new Shop.Register("c-1", "a@b"), CommandContext.of(Metadata.correlatedBy("k1")));
        bus.send(new Shop.Order("c-1", 1), CommandContext.of(Metadata.correlatedBy("k1")));
        assertThrows(IllegalStateException.class,
                () -> bus.send(new Shop.Order("c-2", 1), CommandContext.of(Metadata.correlatedBy("k2"))));

        assertEquals(3, log.list(CommandLogQuery.latest(10)).size());
        assertEquals(2, log.list(CommandLogQuery.latest(10).withType("shop.Order")).size());
        assertEquals(1, log.list(CommandLogQuery.latest(10).withOutcome(CommandOutcome.REJECTED)).size());
        assertEquals(2, log.list(CommandLogQuery.latest(10).withCorrelationId("k1")).size());
        assertEquals(0, log.list(CommandLogQuery.latest(10).between(Instant.now().plusSeconds(60), null)).size());
        assertEquals(1, log.list(CommandLogQuery.latest(1)).size());
        assertEquals("shop.Order", log.list(CommandLogQuery.latest(1)).get(0).commandType());
    }

    @Test
    void retentionDeletesExpiredEntries() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        CommandBus bus = bus(CommandRecorder.of(log, Shop.COMMANDS).retention(Duration.ofDays(1)).clock(clock));
        bus.send(new Shop.Register("c-1", "a@b"), new CommandContext("old", null, null));
        clock.now = clock.now.plus(Duration.ofDays(2));
        bus.send(new Shop.Touch("c-1"), new CommandContext("new", null, null));

        assertTrue(log.find("old").isEmpty());
        assertTrue(log.find("new").isPresent());
    }

    @Test
    void personalDataIsEncryptedInTheLogAndForgottenWithItsSubject() {
        PersonalDataProtector protector = PersonalDataProtector.create(
                SubjectKeys.create(new InMemorySubjectKeyStore(), MasterKey.generate("m1")), new Shop.PersonalData());
        CommandRecorder recorder = CommandRecorder.of(log, Shop.COMMANDS).personalData(protector);
        bus(recorder).send(new Shop.Register("c-1", "ann@example.com"), new CommandContext("r", null, null));

        CommandLogEntry entry = log.find("r").orElseThrow();
        assertFalse(entry.payload().contains("ann@example.com"), entry.payload());
        assertTrue(recorder.readablePayload(entry).contains("\"email\":\"ann@example.com\""));

        protector.forget("c-1");
        assertTrue(recorder.readablePayload(entry).contains("\"email\":\"[erased]\""), recorder.readablePayload(entry));
    }

    @Test
    void rejectionOfACommandWithPersonalDataKeepsNoMessage() {
        PersonalDataProtector protector = PersonalDataProtector.create(
                SubjectKeys.create(new InMemorySubjectKeyStore(), MasterKey.generate("m1")), new Shop.PersonalData());
        EventStore failing = new ForwardingEventStore(store) {
            @Override
            public AppendResult append(AppendRequest request) {
                throw new IllegalArgumentException("cannot store ann@example.com");
            }
        };
        CommandBus bus = CommandBus.builder(failing).register(Shop.routes())
                .commandLog(CommandRecorder.of(log, Shop.COMMANDS).personalData(protector)).build();
        assertThrows(IllegalArgumentException.class,
                () -> bus.send(new Shop.Register("c-1", "ann@example.com"), new CommandContext("r", null, null)));
        String error = log.find("r").orElseThrow().error();
        assertFalse(error.contains("ann@example.com"), error);
    }

    @Test
    void aFailingLogNeverChangesTheResultOfARejectedCommand() {
        CommandLog broken = new CommandLog() {
            @Override
            public void record(CommandLogEntry entry) {
                throw new IllegalStateException("log down");
            }

            @Override
            public java.util.Optional<CommandLogEntry> find(String commandId) {
                return java.util.Optional.empty();
            }

            @Override
            public List<CommandLogEntry> list(CommandLogQuery query) {
                return List.of();
            }

            @Override
            public int deleteStartedBefore(Instant cutoff) {
                return 0;
            }
        };
        CommandBus bus = bus(CommandRecorder.of(broken, Shop.COMMANDS));
        assertThrows(IllegalStateException.class, () -> bus.send(new Shop.Order("c-1", 1)));
        // A no-op is still answered.
        assertEquals(0, bus.send(new Shop.Touch("c-1")).events().size());
    }

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

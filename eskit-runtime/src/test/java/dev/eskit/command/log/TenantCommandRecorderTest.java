package dev.eskit.command.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.EventStore;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.gdpr.InMemorySubjectKeyStore;
import dev.eskit.gdpr.MasterKey;
import dev.eskit.gdpr.PersonalDataProtector;
import dev.eskit.gdpr.SubjectKeys;
import dev.eskit.tenancy.InvalidTenantException;
import dev.eskit.tenancy.Tenancy;
import dev.eskit.tenancy.TenantCommandBus;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A recorder of the shared command log given to tenants' buses records each tenant's commands into the tenant's view
 * of the log (ids {@code <tenant>::<id>}, payloads under the tenant's keys): nothing is logged unscoped.
 */
class TenantCommandRecorderTest {

    private static final TenantId A = TenantId.of("acme");
    private static final TenantId B = TenantId.of("acme-");

    private final EventStore shared = EventStore.inMemory(Shop.EVENTS);
    private final CommandLog log = CommandLog.inMemory();
    private final PersonalDataProtector protector = PersonalDataProtector.create(
            SubjectKeys.create(new InMemorySubjectKeyStore(), MasterKey.generate("m1")), new Shop.PersonalData());

    @Test
    void aTenantsBusGivenTheSharedLogRecordsOnlyIntoTheTenantsView() {
        CommandRecorder recorder = CommandRecorder.of(log, Shop.COMMANDS).personalData(protector);
        TenantCommandBus buses = TenantCommandBus.create(shared, store -> CommandBus.builder(store)
                .register(Shop.routes()).commandLog(recorder).build());
        // A's command without a tenant in its context (sent to A's bus), B's with one: the same ids.
        buses.forTenant(A).send(new Shop.Register("c-1", "ann@example.com"), new CommandContext("cmd-1", null, null));
        buses.send(new Shop.Register("c-1", "bea@example.com"),
                Tenancy.withTenant(new CommandContext("cmd-1", null, null), B));
        assertThrows(IllegalStateException.class, () -> buses.forTenant(A).send(new Shop.Order("c-9", 1),
                new CommandContext("cmd-2", null, null)));

        for (CommandLogEntry entry : log.list(CommandLogQuery.latest(100))) {
            assertTrue(entry.commandId().startsWith("acme::") || entry.commandId().startsWith("acme-::"),
                    "scoped: " + entry.commandId());
            assertFalse(entry.payload().contains("@example.com"), entry.payload());
        }
        assertEquals(3, log.list(CommandLogQuery.latest(100)).size(), "B's cmd-1 was not dropped as A's duplicate");
        assertTrue(log.find("cmd-1").isEmpty() && log.find("cmd-2").isEmpty(), "nothing unscoped");
        assertEquals("acme", log.find("acme::cmd-1").orElseThrow().metadata().extras().get(Tenancy.METADATA_KEY));
        assertEquals(CommandOutcome.REJECTED, log.find("acme::cmd-2").orElseThrow().outcome());

        TenantScope a = TenantScope.of(A);
        TenantScope b = TenantScope.of(B);
        CommandLog viewA = a.commandLog(log);
        CommandLog viewB = b.commandLog(log);
        assertEquals(List.of("cmd-2", "cmd-1"), viewA.list(CommandLogQuery.latest(100)).stream()
                .map(CommandLogEntry::commandId).toList());
        assertEquals(List.of("cmd-1"), viewB.list(CommandLogQuery.latest(100)).stream()
                .map(CommandLogEntry::commandId).toList(), "B sees none of A's entries");
        assertTrue(viewB.find("cmd-2").isEmpty());
        assertTrue(viewB.find("acme::cmd-2").isEmpty());

        // Encrypted under each tenant's keys: forgetting A's c-1 leaves B's c-1 readable.
        CommandRecorder readerA = recorder.forTenant(a);
        CommandRecorder readerB = recorder.forTenant(b);
        assertTrue(readerA.readablePayload(viewA.find("cmd-1").orElseThrow()).contains("ann@example.com"));
        assertEquals(1, protector.forget(A, "c-1"));
        assertTrue(readerA.readablePayload(viewA.find("cmd-1").orElseThrow()).contains("[erased]"));
        assertTrue(readerB.readablePayload(viewB.find("cmd-1").orElseThrow()).contains("bea@example.com"));
        assertTrue(recorder.readablePayload(log.find("acme-::cmd-1").orElseThrow()).contains("bea@example.com"),
                "the operator's recorder reads a tenant's entry of the shared log");
    }

    @Test
    void aRecorderOfAnotherTenantsViewIsRefusedAtBuildAndOneOfTheSameTenantIsKept() {
        TenantScope a = TenantScope.of(A);
        CommandRecorder ofB = CommandRecorder.of(TenantScope.of(B).commandLog(log), Shop.COMMANDS);
        EventStore storeA = a.events(shared);
        assertThrows(InvalidTenantException.class, () -> CommandBus.builder(storeA).register(Shop.routes())
                .commandLog(ofB).build());
        CommandRecorder ofA = CommandRecorder.of(a.commandLog(log), Shop.COMMANDS);
        assertSame(ofA, ofA.forTenant(a));
        CommandBus bus = CommandBus.builder(storeA).register(Shop.routes()).commandLog(ofA).build();
        bus.send(new Shop.Register("c-1", "x"), new CommandContext("cmd-1", null, null));
        assertTrue(log.find("acme::cmd-1").isPresent());
        assertTrue(log.find("acme::acme::cmd-1").isEmpty(), "scoped once");
    }

    /** Wired by hand (middleware and wrap), a recorder of the shared log refuses a tenant's store with a remedy. */
    @Test
    void aRecorderOfTheSharedLogWrappingATenantsStoreByHandIsRefused() {
        CommandRecorder recorder = CommandRecorder.of(log, Shop.COMMANDS);
        InvalidTenantException e = assertThrows(InvalidTenantException.class,
                () -> recorder.wrap(TenantScope.of(A).events(shared)));
        assertTrue(e.getMessage().contains("forTenant"), e.getMessage());
        assertTrue(log.list(CommandLogQuery.latest(10)).isEmpty());
    }

    /** Middleware added by hand: a command whose context names its tenant is still logged under the tenant. */
    @Test
    void middlewareOfTheSharedLogKeepsATenantTaggedCommandInItsTenant() {
        CommandRecorder recorder = CommandRecorder.of(log, Shop.COMMANDS);
        CommandBus bus = CommandBus.builder(TenantScope.of(A).events(shared)).register(Shop.routes())
                .middleware(recorder.middleware()).build();
        bus.send(new Shop.Touch("c-1"), Tenancy.withTenant(new CommandContext("t-1", null, null), A));
        assertTrue(log.find("t-1").isEmpty());
        assertEquals("t-1", TenantScope.of(A).commandLog(log).find("t-1").orElseThrow().commandId());
        assertTrue(TenantScope.of(B).commandLog(log).find("t-1").isEmpty());
    }

    /** Retention configured on the recorder given to tenants' buses runs on the shared log, once a minute overall. */
    @Test
    void retentionOfATenantsRecorderRunsOnTheSharedLog() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        CommandLog counting = new CommandLog() {
            @Override
            public void record(CommandLogEntry entry) {
                log.record(entry);
            }

            @Override
            public java.util.Optional<CommandLogEntry> find(String commandId) {
                return log.find(commandId);
            }

            @Override
            public List<CommandLogEntry> list(CommandLogQuery query) {
                return log.list(query);
            }

            @Override
            public int deleteStartedBefore(Instant cutoff) {
                deletes.incrementAndGet();
                return log.deleteStartedBefore(cutoff);
            }
        };
        CommandRecorder recorder = CommandRecorder.of(counting, Shop.COMMANDS).retention(Duration.ofDays(1))
                .clock(Clock.fixed(now, ZoneOffset.UTC));
        TenantCommandBus buses = TenantCommandBus.create(shared, store -> CommandBus.builder(store)
                .register(Shop.routes()).commandLog(recorder).build());
        buses.forTenant(A).send(new Shop.Touch("c-1"));
        buses.forTenant(B).send(new Shop.Touch("c-1"));
        assertEquals(1, deletes.get(), "purged on the shared log once, not refused by a view");
        assertEquals(2, counting.list(CommandLogQuery.latest(10)).size());
    }

    private final java.util.concurrent.atomic.AtomicInteger deletes = new java.util.concurrent.atomic.AtomicInteger();
}

package dev.eskit.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.Decider;
import dev.eskit.EventStore;
import dev.eskit.ExpectedVersion;
import dev.eskit.InvalidInputException;
import dev.eskit.InvalidReadLimitException;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.Principal;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventTypes;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandHandler;
import dev.eskit.tenancy.TenantId;
import dev.eskit.tenancy.TenantScope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditLogTest {

    record Deposited(long cents) {
    }

    private static final EventTypes TYPES = EventTypes.builder().add("bank.Deposited", Deposited.class).build();
    private final EventStore store = EventStore.inMemory(TYPES);

    private void append(String type, String id, String initiator, String correlation) {
        store.append(StreamRef.of(type, id), ExpectedVersion.any(), List.of(new Deposited(1)),
                new Metadata(correlation, "cmd-" + id, initiator, "node-1", java.util.Map.of()));
    }

    private static List<String> streams(List<AuditEntry> entries) {
        return entries.stream().map(e -> e.stream() + "@" + e.version() + "<" + e.initiator()).toList();
    }

    @Test
    void listsWhoAppendedWhatFilteredByPrincipalStreamTypeStreamAndCorrelation() {
        append("account", "a-1", "user:alice", "c1");
        append("account", "a-2", "user:bob", "c2");
        append("customer", "u-1", "user:alice", "c1");
        append("account", "a-1", "user:alice", "c3");
        append("account", "a-1", null, null);
        AuditLog audit = AuditLog.of(store);

        assertEquals(List.of("account/a-1@1<user:alice", "customer/u-1@1<user:alice", "account/a-1@2<user:alice"),
                streams(audit.read(AuditFilter.all().initiatedBy(Principal.user("alice")), Position.START, 100)));
        assertEquals(List.of("account/a-1@1<user:alice", "account/a-1@2<user:alice"), streams(audit.read(
                AuditFilter.all().initiatedBy("user:alice").streamType("account"), Position.START, 100)));
        assertEquals(List.of("account/a-1@1<user:alice", "account/a-1@2<user:alice", "account/a-1@3<null"),
                streams(audit.read(AuditFilter.all().stream(StreamRef.of("account", "a-1")), Position.START, 100)));
        assertEquals(List.of("account/a-1@1<user:alice", "customer/u-1@1<user:alice"),
                streams(audit.read(AuditFilter.all().correlatedBy("c1"), Position.START, 100)));
        List<AuditEntry> first = audit.read(AuditFilter.all(), Position.START, 2);
        assertEquals(2, first.size());
        assertEquals(3, audit.read(AuditFilter.all(), first.get(1).position(), 100).size(), "paged on");
        AuditEntry entry = first.get(0);
        assertEquals(Principal.user("alice"), entry.principal().orElseThrow());
        assertEquals("node-1", entry.originator());
        assertEquals("cmd-a-1", entry.causationId());
        assertEquals("bank.Deposited", entry.eventType());
        assertThrows(InvalidReadLimitException.class, () -> audit.read(AuditFilter.all(), Position.START, 0));
    }

    @Test
    void filtersByTimeRangeAndRefusesImpossibleFilters() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Clock[] clock = {Clock.fixed(t0, ZoneOffset.UTC)};
        EventStore timed = new dev.eskit.store.InMemoryEventStore(TYPES, new Clock() {
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
                return clock[0].instant();
            }
        });
        for (int day = 0; day < 5; day++) {
            clock[0] = Clock.fixed(t0.plusSeconds(86_400L * day), ZoneOffset.UTC);
            timed.append(StreamRef.of("account", "a-" + day), ExpectedVersion.noStream(), List.of(new Deposited(day)));
        }
        List<AuditEntry> middle = AuditLog.of(timed).read(AuditFilter.all().between(t0.plusSeconds(86_400),
                t0.plusSeconds(3 * 86_400)), Position.START, 100);
        assertEquals(List.of("account/a-1", "account/a-2"), middle.stream().map(e -> e.stream().toString()).toList());
        assertThrows(InvalidInputException.class, () -> AuditFilter.all().between(t0, t0));
        assertThrows(InvalidInputException.class,
                () -> AuditFilter.all().streamType("customer").stream(StreamRef.of("account", "a")));
    }

    @Test
    void commandHandlersRecordThePrincipalOfTheCommandAndATenantSeesOnlyItsOwnLog() {
        EventStore acme = TenantScope.of(TenantId.of("acme")).events(store);
        Decider<Long, Long, Deposited> decider = Decider.of(() -> 0L, (state, cents) -> List.of(new Deposited(cents)),
                (state, event) -> state + event.cents());
        CommandHandler.of(acme, decider, "account").handle("a-1", 5L,
                CommandContext.of(Metadata.empty().withInitiator(Principal.user("carol"))));
        append("account", "a-1", "user:carol", null);
        List<AuditEntry> tenant = AuditLog.of(acme).read(AuditFilter.all().initiatedBy(Principal.user("carol")),
                Position.START, 100);
        assertEquals(List.of("account/a-1@1<user:carol"), streams(tenant));
        assertEquals(2, AuditLog.of(store).read(AuditFilter.all().initiatedBy("user:carol"), Position.START, 100)
                .size(), "the shared log holds both");
    }
}

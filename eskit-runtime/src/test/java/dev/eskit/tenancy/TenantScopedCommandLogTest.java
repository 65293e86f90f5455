package dev.eskit.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.StreamRef;
import dev.eskit.command.log.CommandLog;
import dev.eskit.command.log.CommandLogEntry;
import dev.eskit.command.log.CommandLogQuery;
import dev.eskit.command.log.CommandOutcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Two tenants whose ids are as close as the rules allow never see or change each other's command log entries. */
class TenantScopedCommandLogTest {

    private final CommandLog shared = CommandLog.inMemory();
    private final CommandLog a = TenantScope.of(TenantId.of("acme")).commandLog(shared);
    private final CommandLog b = TenantScope.of(TenantId.of("acme-")).commandLog(shared);

    private static CommandLogEntry entry(String id, Metadata metadata) {
        return new CommandLogEntry(id, "bank.Deposit", StreamRef.of("account", "x' OR '1'='1"), "{}", metadata,
                CommandOutcome.ACCEPTED, 0, null, null, 0, null, Instant.now(), Duration.ZERO);
    }

    @Test
    void entriesAreSeparateAndCannotBeForged() {
        a.record(entry("cmd-1", Metadata.empty()));
        assertEquals("acme", shared.find("acme::cmd-1").orElseThrow().metadata().extras()
                .get(Tenancy.METADATA_KEY));
        assertTrue(shared.find("cmd-1").isEmpty(), "kept under the tenant's command id");
        assertEquals("cmd-1", a.find("cmd-1").orElseThrow().commandId(), "handed back as the tenant knows it");
        assertEquals("cmd-1", a.list(CommandLogQuery.latest(10)).get(0).commandId());
        assertTrue(b.find("cmd-1").isEmpty(), "B does not find A's entry");
        assertEquals(0, b.list(CommandLogQuery.latest(100)).size());
        // B cannot record as A, nor replace A's entry by reusing its id.
        for (String forged : java.util.List.of("acme", "acme--", "\u0430cme-", "")) {
            assertThrows(InvalidTenantException.class, () -> b.record(entry("cmd-2",
                    Metadata.empty().with(Tenancy.METADATA_KEY, forged))), forged);
        }
        // The same command id in B is B's own entry: it neither replaces A's nor is dropped as a duplicate of it.
        b.record(entry("cmd-1", Metadata.empty().with("note", "B")));
        assertEquals("acme", a.find("cmd-1").orElseThrow().metadata().extras().get(Tenancy.METADATA_KEY));
        assertEquals("B", b.find("cmd-1").orElseThrow().metadata().extras().get("note"));
        for (String forged : java.util.List.of("acme::cmd-1", "::cmd-1", ":cmd-1")) {
            assertTrue(b.find(forged).isEmpty(), forged);
        }
        assertThrows(InvalidInputException.class, () -> b.find("cmd\uD800"));
        b.record(entry("cmd-3", Metadata.empty()));
        assertEquals(1, a.list(CommandLogQuery.latest(100)).size());
        assertEquals(2, b.list(CommandLogQuery.latest(100)).size());
        assertThrows(InvalidInputException.class, () -> b.deleteStartedBefore(Instant.now()));
        assertTrue(a.find("cmd-1").isPresent(), "B's refused retention deleted nothing");
        assertThrows(InvalidTenantException.class, () -> TenantScope.of(TenantId.of("acme-")).commandLog(a));
    }

    /** Entries a view recorded before command ids were scoped (plain id, tenant in metadata) are still its own. */
    @Test
    void entriesRecordedBeforeIdsWereScopedAreFoundByTheirTenantOnly() {
        shared.record(entry("old-1", Metadata.empty().with(Tenancy.METADATA_KEY, "acme")));
        assertEquals("old-1", a.find("old-1").orElseThrow().commandId());
        assertTrue(b.find("old-1").isEmpty());
        assertEquals(1, a.list(CommandLogQuery.latest(10)).size());
    }
}

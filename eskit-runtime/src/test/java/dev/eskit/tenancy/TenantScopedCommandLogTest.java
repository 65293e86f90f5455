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
        assertEquals("acme", shared.find("cmd-1").orElseThrow().metadata().extras().get(Tenancy.METADATA_KEY));
        assertTrue(a.find("cmd-1").isPresent());
        assertTrue(b.find("cmd-1").isEmpty(), "B does not find A's entry");
        assertEquals(0, b.list(CommandLogQuery.latest(100)).size());
        // B cannot record as A, nor replace A's entry by reusing its id.
        for (String forged : java.util.List.of("acme", "acme--", "\u0430cme-", "")) {
            assertThrows(InvalidTenantException.class, () -> b.record(entry("cmd-2",
                    Metadata.empty().with(Tenancy.METADATA_KEY, forged))), forged);
        }
        b.record(entry("cmd-1", Metadata.empty()));
        assertEquals("acme", shared.find("cmd-1").orElseThrow().metadata().extras().get(Tenancy.METADATA_KEY));
        assertTrue(b.find("cmd-1").isEmpty());
        b.record(entry("cmd-3", Metadata.empty()));
        assertEquals(1, a.list(CommandLogQuery.latest(100)).size());
        assertEquals(1, b.list(CommandLogQuery.latest(100)).size());
        assertThrows(InvalidInputException.class, () -> b.deleteStartedBefore(Instant.now()));
        assertTrue(a.find("cmd-1").isPresent(), "B's refused retention deleted nothing");
        assertThrows(InvalidTenantException.class, () -> TenantScope.of(TenantId.of("acme-")).commandLog(a));
    }
}

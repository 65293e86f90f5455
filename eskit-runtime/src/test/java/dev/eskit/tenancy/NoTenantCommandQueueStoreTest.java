package dev.eskit.tenancy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.InvalidInputException;
import dev.eskit.Metadata;
import dev.eskit.command.queue.CommandQueueStore;
import dev.eskit.command.queue.QueueClaim;
import dev.eskit.command.queue.QueueFinish;
import dev.eskit.command.queue.QueueResult;
import dev.eskit.command.queue.QueueStatus;
import dev.eskit.command.queue.QueuedCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The part of a shared queue store outside every tenant, called directly: it never hands out, finishes, finds, lists,
 * retries or requeues a tenant's command, and refuses a tenant's ids and metadata at enqueue.
 */
class NoTenantCommandQueueStoreTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(1);

    private final CommandQueueStore shared = CommandQueueStore.inMemory();
    private final CommandQueueStore acme = TenantScope.of(TenantId.of("acme")).commandQueue(shared);
    private final NoTenantCommandQueueStore none = NoTenantCommandQueueStore.of(shared);

    private static QueuedCommand command(String id) {
        return QueuedCommand.pending(id, "t.Note", "{}", Metadata.empty(), "note/" + id, NOW);
    }

    private static QueueResult done(String id, QueueStatus status) {
        return new QueueResult(id, status, 0, 0, null, null, status == QueueStatus.SUCCEEDED ? null : "why");
    }

    @Test
    void aTenantsCommandsStayOutOfReach() {
        assertTrue(acme.enqueue(command("a-1")));
        assertTrue(acme.enqueue(command("a-2")));
        assertTrue(none.enqueue(command("n-1")));
        assertEquals(1, none.enqueueAll(List.of(command("n-2"))));

        List<QueueClaim> claims = none.claim("w", 10, LEASE);
        assertEquals(List.of("n-1", "n-2"), claims.stream().map(c -> c.command().id()).toList());
        assertEquals(Optional.empty(), none.find("acme::a-1"));
        assertTrue(none.find("n-1").isPresent());
        assertEquals(List.of("n-1", "n-2"), none.list(QueueStatus.CLAIMED, 10).stream().map(QueuedCommand::id)
                .toList());
        assertEquals(List.of(), none.list(QueueStatus.PENDING, 10), "acme's pending commands are not listed");
        assertEquals(2, shared.list(QueueStatus.PENDING, 10).size());
        assertEquals(List.of(), none.list(QueueStatus.PENDING, 10, "acme::"));

        List<QueueClaim> acmeClaims = acme.claim("w", 10, LEASE);
        assertEquals(2, acmeClaims.size());
        QueueClaim acmeFirst = acmeClaims.stream().filter(c -> c.command().id().equals("a-1")).findFirst()
                .orElseThrow();
        QueueClaim acmeOnShared = new QueueClaim(shared.find("acme::a-1").orElseThrow(), acmeFirst.worker(),
                acmeFirst.token(), acmeFirst.until());
        assertFalse(none.finish(acmeOnShared, done("acme::a-1", QueueStatus.SUCCEEDED)));
        assertFalse(none.retry(acmeOnShared, "x", NOW));
        assertThrows(InvalidTenantException.class, () -> none.finishAll(List.of(
                new QueueFinish(acmeOnShared, done("acme::a-1", QueueStatus.SUCCEEDED)))));
        assertThrows(InvalidTenantException.class, () -> none.appendAndFinish(null, null, acmeOnShared, r -> null,
                r -> { }));
        assertThrows(InvalidTenantException.class, () -> none.claim("w", 1, LEASE, "acme::"));
        assertEquals(QueueStatus.CLAIMED, shared.find("acme::a-1").orElseThrow().status(), "untouched");

        assertTrue(none.finish(claims.get(0), done("n-1", QueueStatus.SUCCEEDED)));
        assertArrayEquals(new boolean[] {true}, none.finishAll(List.of(new QueueFinish(claims.get(1),
                done("n-2", QueueStatus.DEAD)))));
        assertTrue(none.requeue("n-2"));
        assertFalse(none.requeue("acme::a-1"));
        assertEquals(Map.of(), none.findOutcomes(List.of("acme::a-1")));
        assertEquals(List.of("n-1"), List.copyOf(none.findOutcomes(List.of("n-1", "acme::a-2")).keySet()));
        assertEquals(1, none.deleteFinishedBefore(NOW.plus(Duration.ofDays(3650))), "retention as on the shared store");
    }

    @Test
    void aTenantsIdsAndMetadataAreRefusedAtEnqueueAndNothingIsStored() {
        InvalidInputException id = assertThrows(InvalidInputException.class, () -> none.enqueue(command("acme::x")));
        assertTrue(id.getMessage().startsWith("Command id \"acme::x\" has the shape of a tenant's command id"),
                id.getMessage());
        QueuedCommand keyed = QueuedCommand.pending("n-1", "t.Note", "{}", Metadata.empty(), "acme::note/1", NOW);
        assertThrows(InvalidInputException.class, () -> none.enqueue(keyed));
        QueuedCommand marked = QueuedCommand.pending("n-2", "t.Note", "{}",
                Metadata.empty().with(Tenancy.METADATA_KEY, "acme"), "note/2", NOW);
        assertThrows(InvalidTenantException.class, () -> none.enqueue(marked));
        assertThrows(InvalidTenantException.class, () -> none.metadataFor(marked.metadata()));
        assertThrows(InvalidInputException.class, () -> none.enqueueAll(List.of(command("ok"), command("beta::y"))));
        assertEquals(List.of(), shared.list(QueueStatus.PENDING, 10), "nothing stored");
        assertEquals(Metadata.empty(), none.metadataFor(Metadata.empty()));
    }

    @Test
    void itIsOneViewPerSharedStoreAndNoneOfATenantsView() {
        assertSame(none, NoTenantCommandQueueStore.of(none));
        assertSame(shared, none.shared());
        assertEquals(none, NoTenantCommandQueueStore.of(shared));
        assertEquals(none.hashCode(), NoTenantCommandQueueStore.of(shared).hashCode());
        assertNotEquals(none, NoTenantCommandQueueStore.of(CommandQueueStore.inMemory()));
        assertTrue(none.toString().startsWith("NoTenantCommandQueueStore["), none.toString());
        assertEquals(shared.personalData(), none.personalData());
        InvalidTenantException view = assertThrows(InvalidTenantException.class,
                () -> NoTenantCommandQueueStore.of(acme));
        assertTrue(view.getMessage().contains("tenant \"acme\"'s view"), view.getMessage());
    }
}

package dev.eskit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.eskit.EventStore;
import dev.eskit.Metadata;
import dev.eskit.Principal;
import dev.eskit.StreamAdmin;
import dev.eskit.StreamRef;
import dev.eskit.Tombstone;
import org.junit.jupiter.api.Test;

/** The examples of docs/stores.md's tombstone reasons and docs/concepts.md's typed principals. */
class StoresGuideStreamFeaturesExamplesTest {

    @Test
    void aTombstoneKeepsItsReasonOnTheInMemoryStore() {
        // As on the page:
        StreamAdmin admin = EventStore.inMemory();
        admin.tombstone(StreamRef.of("account", "a-2"), "closed by the customer");
        Tombstone why = admin.tombstoneOf(StreamRef.of("account", "a-2")).orElseThrow();   // reason, at

        assertEquals("closed by the customer", why.reason());
        assertNotNull(why.at());
    }

    @Test
    void principalsAreTyped() {
        Metadata metadata = Metadata.empty().withInitiator(Principal.user("alice"));
        assertEquals("user:alice", metadata.initiator());
        assertEquals(Principal.user("alice"), metadata.initiatorPrincipal().orElseThrow());
    }
}

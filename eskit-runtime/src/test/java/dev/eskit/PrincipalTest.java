package dev.eskit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    @Test
    void principalsAreStoredAsKindColonIdAndReadBackTyped() {
        Metadata metadata = Metadata.empty().withInitiator(Principal.user("alice"))
                .withOriginator(Principal.system("nightly-import"));
        assertEquals("user:alice", metadata.initiator());
        assertEquals("system:nightly-import", metadata.originator());
        assertEquals(Optional.of(Principal.user("alice")), metadata.initiatorPrincipal());
        assertEquals(Optional.of(new Principal("system", "nightly-import")), metadata.originatorPrincipal());
        assertEquals(Optional.of(Principal.service("billing:eu")), Metadata.empty()
                .withInitiator("service:billing:eu").initiatorPrincipal(), "the id may contain colons");
    }

    @Test
    void plainNamesAreNoPrincipals() {
        assertEquals(Optional.empty(), Metadata.empty().withInitiator("alice").initiatorPrincipal());
        assertEquals(Optional.empty(), Metadata.empty().initiatorPrincipal());
        assertNull(Principal.parse(":x"));
        assertNull(Principal.parse("user:"));
        assertNull(Principal.parse("a b:x"));
    }

    @Test
    void badKindsAndIdsAreRefusedWithAHint() {
        assertThrows(InvalidInputException.class, () -> new Principal("", "x"));
        assertThrows(InvalidInputException.class, () -> new Principal("a kind", "x"));
        assertThrows(InvalidInputException.class, () -> Principal.user(""));
    }
}

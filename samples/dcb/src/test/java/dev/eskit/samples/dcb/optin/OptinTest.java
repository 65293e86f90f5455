package dev.eskit.samples.dcb.optin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.dcb.DcbCommandHandler;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.samples.dcb.RejectedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dcb.events opt-in token scenario, with the generated fixture and on a store: both see only the events tagged
 * with the command's address and token.
 */
class OptinTest {

    @Test
    void aTokenConfirmsItsOwnSignUp() {
        ConfirmSpec.given(new SignUpInitiated("ann@example.com", "111", "Ann"))
                .when(new ConfirmSignUp("ann@example.com", "111"))
                .then(new SignUpConfirmed("ann@example.com", "111", "Ann"));
    }

    @Test
    void anotherTokenDoesNotConfirmTheSignUp() {
        ConfirmSpec.given(new SignUpInitiated("ann@example.com", "111", "Ann"))
                .when(new ConfirmSignUp("ann@example.com", "222"))
                .thenError(RejectedException.class, "No pending sign-up");
    }

    @Test
    void anotherAddressDoesNotConfirmTheSignUp() {
        ConfirmSpec.given(new SignUpInitiated("ann@example.com", "111", "Ann"),
                        new SignUpInitiated("bob@example.com", "222", "Bob"))
                .when(new ConfirmSignUp("ann@example.com", "222"))
                .thenError(RejectedException.class, "No pending sign-up");
    }

    @Test
    void aTokenConfirmsOnceEvenAfterOtherSignUps() {
        ConfirmSpec.given(new SignUpInitiated("ann@example.com", "111", "Ann"),
                        new SignUpConfirmed("ann@example.com", "111", "Ann"),
                        new SignUpInitiated("ann@example.com", "333", "Ann"))
                .when(new ConfirmSignUp("ann@example.com", "111"))
                .thenError(RejectedException.class, "used already")
                .when(new ConfirmSignUp("ann@example.com", "333"))
                .then(new SignUpConfirmed("ann@example.com", "333", "Ann"))
                .when(new ConfirmSignUp("ann@example.com", "333"))
                .thenError(RejectedException.class, "used already");
    }

    @Test
    void theStoreAgreesWithTheFixture() {
        try (DcbEventStore store = DcbEventStore.inMemory()) {
            store.append(List.of(new SignUpInitiated("ann@example.com", "111", "Ann")));
            DcbCommandHandler<Confirm.Pending, ConfirmSignUp, SignUpEvent> confirm =
                    DcbCommandHandler.of(store, new ConfirmDecider());
            assertThrows(RejectedException.class, () -> confirm.handle(new ConfirmSignUp("ann@example.com", "222")));
            assertEquals(1, confirm.handle(new ConfirmSignUp("ann@example.com", "111")).events().size());
        }
    }
}

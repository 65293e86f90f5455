package dev.eskit.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eskit.Decider;
import dev.eskit.codec.EventTypes;
import dev.eskit.dcb.DcbDecider;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DCB fixture on the dcb.events opt-in token scenario: a decision sees only the events of its query. */
class DcbDeciderSpecTest {

    sealed interface SignUpEvent permits Initiated, Confirmed {
    }

    record Initiated(String email, String otp) implements SignUpEvent {
    }

    record Confirmed(String email, String otp) implements SignUpEvent {
    }

    record Confirm(String email, String otp) {
    }

    /** 0: no sign-up seen; 1: pending; 2: confirmed. */
    private static final Decider<Integer, Confirm, SignUpEvent> CONFIRM = Decider.of(() -> 0, (Integer s, Confirm c) -> {
        if (s == 0) {
            throw new IllegalStateException("no pending sign-up");
        }
        if (s == 2) {
            throw new IllegalStateException("used already");
        }
        return List.<SignUpEvent>of(new Confirmed(c.email(), c.otp()));
    }, (Integer s, SignUpEvent e) -> e instanceof Initiated ? 1 : 2);

    private static final DcbDecider<Integer, Confirm, SignUpEvent> DECIDER = DcbDecider.of(CONFIRM,
            SignUpEvent.class, c -> Query.of(QueryItem.types("optin.Initiated", "optin.Confirmed")
                    .withTags(Tag.of("email", c.email()), Tag.of("otp", c.otp()))));

    private static final EventTypes TYPES = EventTypes.builder()
            .add("optin.Initiated", Initiated.class, e -> Tag.list("email", e.email(), "otp", e.otp()))
            .add("optin.Confirmed", Confirmed.class, e -> Tag.list("email", e.email(), "otp", e.otp()))
            .build();

    private final DcbDeciderSpec<Integer, Confirm, SignUpEvent> spec = DcbDeciderSpec.of(DECIDER, TYPES);

    @Test
    void aWrongTokenDoesNotSeeTheSignUp() {
        spec.given(new Initiated("a@x", "111"))
                .when(new Confirm("a@x", "222"))
                .thenError(IllegalStateException.class, "no pending sign-up");
    }

    @Test
    void theRightTokenConfirmsOnce() {
        spec.given(new Initiated("b@x", "222"), new Initiated("a@x", "111"))
                .when(new Confirm("a@x", "111"))
                .then(new Confirmed("a@x", "111"))
                .when(new Confirm("a@x", "111"))
                .thenError(IllegalStateException.class, "used already")
                .when(new Confirm("b@x", "222"))
                .then(new Confirmed("b@x", "222"));
    }

    @Test
    void stateForFoldsTheCommandsBoundary() {
        DeciderSpec.Given<Integer, Confirm, SignUpEvent> given = spec.given(new Initiated("a@x", "111"),
                new Confirmed("a@x", "111"), new Initiated("a@x", "333"));
        assertEquals(2, given.stateFor(new Confirm("a@x", "111")));
        assertEquals(1, given.stateFor(new Confirm("a@x", "333")));
        assertEquals(0, given.stateFor(new Confirm("c@x", "333")));
    }

    @Test
    void anUnregisteredEventFailsTheScenarioWithAHint() {
        DcbDeciderSpec<Integer, Confirm, SignUpEvent> empty = DcbDeciderSpec.of(DECIDER, EventTypes.builder().build());
        AssertionError error = assertThrows(AssertionError.class,
                () -> empty.given(new Initiated("a@x", "111")).when(new Confirm("a@x", "111")));
        assertTrue(error.getMessage().contains("not a registered event type"), error.getMessage());
        assertTrue(error.getMessage().contains("Annotate it with @Event"), error.getMessage());
    }
}

package dev.eskit.samples.dcb.optin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.dcb.DcbCommandHandler;
import dev.eskit.dcb.DcbCommandResult;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import dev.eskit.samples.dcb.RejectedException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The examples of docs/dcb.md's "Testing DCB deciders", over the opt-in token scenario of {@code samples/dcb}. Lives
 * in the sample's package to name the package-private {@code Confirm.Pending}.
 */
class DcbTestingGuideExamplesTest {

    @Test
    void theSpecDecidesOnTheEventsOfTheCommandsQuery() {
        // As on the page:
        ConfirmSpec.given(new SignUpInitiated("ann@example.com", "111", "Ann"))
                .when(new ConfirmSignUp("ann@example.com", "222"))
                .thenError(RejectedException.class, "No pending sign-up");

        ConfirmSpec.given(new SignUpInitiated("ann@example.com", "111", "Ann"))
                .when(new ConfirmSignUp("ann@example.com", "111"))
                .then(new SignUpConfirmed("ann@example.com", "111", "Ann"))
                .when(new ConfirmSignUp("ann@example.com", "111"))        // the events so far, plus the confirmation
                .thenError(RejectedException.class, "used already");
    }

    @Test
    void theDeciderRunsOnTheInMemoryDcbStore() {
        List<SignUpConfirmed> seen;
        // As on the page:
        try (DcbEventStore store = DcbEventStore.inMemory()) {
            store.append(List.of(new SignUpInitiated("ann@example.com", "111", "Ann")));   // no condition
            DcbCommandHandler<Confirm.Pending, ConfirmSignUp, SignUpEvent> confirm =
                DcbCommandHandler.of(store, new ConfirmDecider());
            DcbCommandResult<Confirm.Pending> result = confirm.handle(new ConfirmSignUp("ann@example.com", "111"));
            List<SignUpConfirmed> confirmed = result.eventData(SignUpConfirmed.class);
            seen = confirmed;
        }
        assertEquals(List.of(new SignUpConfirmed("ann@example.com", "111", "Ann")), seen);
    }

    @Test
    void wireNameConstantsNameTheTypesOfAQuery() {
        // As on the page:
        QueryItem item = QueryItem.types(OptinEventTypes.SIGN_UP_INITIATED, OptinEventTypes.SIGN_UP_CONFIRMED);

        assertEquals(List.of("optin.SignUpConfirmed", "optin.SignUpInitiated"), item.types());
        assertEquals(Query.of(item.withTags(Tag.of("email", "a"), Tag.of("otp", "1"))),
                new ConfirmDecider().query(new ConfirmSignUp("a", "1")));
    }
}

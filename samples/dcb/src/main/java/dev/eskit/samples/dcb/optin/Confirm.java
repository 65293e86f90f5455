package dev.eskit.samples.dcb.optin;

import dev.eskit.annotations.DcbDecider;
import dev.eskit.annotations.Decide;
import dev.eskit.annotations.Evolve;
import dev.eskit.annotations.InitialState;
import dev.eskit.annotations.QueryItem;
import dev.eskit.samples.dcb.RejectedException;

/**
 * Confirms a sign-up: only events tagged with both the address and the token are in the boundary, so a sign-up
 * started with another token (or for another address) is not seen, and a token confirms once.
 */
@DcbDecider(query = @QueryItem(types = {SignUpInitiated.class, SignUpConfirmed.class}, tags = {"email", "otp"}))
final class Confirm {

    /**
     * The sign-up started with this address and token, if any.
     *
     * @param name      the name given, or {@code null} when no such sign-up was started
     * @param confirmed whether it was confirmed already
     */
    record Pending(String name, boolean confirmed) {
    }

    private Confirm() {
    }

    @InitialState
    static Pending initial() {
        return new Pending(null, false);
    }

    @Decide
    static SignUpConfirmed decide(Pending pending, ConfirmSignUp command) {
        if (pending.name() == null) {
            throw new RejectedException("No pending sign-up for this token and e-mail address.");
        }
        if (pending.confirmed()) {
            throw new RejectedException("This token was used already.");
        }
        return new SignUpConfirmed(command.email(), command.otp(), pending.name());
    }

    @Evolve
    static Pending initiated(Pending pending, SignUpInitiated event) {
        return new Pending(event.name(), false);
    }

    @Evolve
    static Pending confirmed(Pending pending, SignUpConfirmed event) {
        return new Pending(event.name(), true);
    }
}

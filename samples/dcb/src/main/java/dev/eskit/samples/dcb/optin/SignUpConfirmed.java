package dev.eskit.samples.dcb.optin;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

/**
 * A sign-up was confirmed with its token.
 *
 * @param email the address
 * @param otp   the token it was confirmed with
 * @param name  the name given at the start
 */
@Event
public record SignUpConfirmed(@Tag("email") String email, @Tag("otp") String otp, String name)
        implements SignUpEvent {
}

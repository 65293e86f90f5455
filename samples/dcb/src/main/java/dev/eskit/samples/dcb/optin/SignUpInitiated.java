package dev.eskit.samples.dcb.optin;

import dev.eskit.annotations.Event;
import dev.eskit.annotations.Tag;

/**
 * A sign-up was started and a one-time token sent to the address.
 *
 * @param email the address
 * @param otp   the one-time token sent to it
 * @param name  the name given
 */
@Event
public record SignUpInitiated(@Tag("email") String email, @Tag("otp") String otp, String name)
        implements SignUpEvent {
}

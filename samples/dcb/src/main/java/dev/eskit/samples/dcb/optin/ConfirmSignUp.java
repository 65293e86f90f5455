package dev.eskit.samples.dcb.optin;

import dev.eskit.annotations.Tag;

/**
 * Confirms the sign-up of {@code email} with the token that was sent to it.
 *
 * @param email the address
 * @param otp   the token received
 */
public record ConfirmSignUp(@Tag("email") String email, @Tag("otp") String otp) {
}

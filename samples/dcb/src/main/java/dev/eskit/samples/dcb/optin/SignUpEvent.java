package dev.eskit.samples.dcb.optin;

/** What happens to a sign-up. */
public sealed interface SignUpEvent permits SignUpInitiated, SignUpConfirmed {
}

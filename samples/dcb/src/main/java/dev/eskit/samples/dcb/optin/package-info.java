/**
 * The dcb.events "opt-in token" scenario: a sign-up is confirmed with the one-time token it was started with; the
 * boundary of a confirmation is the events tagged with both its e-mail address and its token.
 */
package dev.eskit.samples.dcb.optin;

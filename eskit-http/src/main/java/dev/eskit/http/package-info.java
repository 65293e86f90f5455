/**
 * Read-model changes as Server-Sent Events and a health endpoint for subscriptions, served by the JDK's built-in HTTP
 * server ({@link dev.eskit.http.LiveHttpServer}) or mounted in any server through the plain handlers
 * {@link dev.eskit.http.ChangeEventStream} (writes to an {@code OutputStream}) and {@link dev.eskit.http.HealthCheck}
 * (returns a status code and a JSON body). See {@code docs/live-views.md} for the protocol.
 */
package dev.eskit.http;

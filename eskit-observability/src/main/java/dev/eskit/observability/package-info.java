/**
 * Optional Micrometer metrics and OpenTelemetry spans for eskit: {@link dev.eskit.observability.EskitObservability}
 * wraps an {@link dev.eskit.EventStore} and supplies command middleware. Nothing here runs unless you wire it in.
 */
package dev.eskit.observability;

/**
 * Zero-downtime rebuilds: {@link dev.eskit.projection.rebuild.ShadowRebuild} rebuilds a projection into shadow tables
 * while the live tables keep serving reads, then swaps them in one transaction. A
 * {@link dev.eskit.projection.rebuild.RebuildRequestWatcher} runs the rebuilds that {@code eskit projections rebuild
 * --shadow} requests through {@link dev.eskit.projection.rebuild.RebuildRequests}. See {@code docs/projections.md} and
 * {@code docs/operations.md}.
 */
package dev.eskit.projection.rebuild;

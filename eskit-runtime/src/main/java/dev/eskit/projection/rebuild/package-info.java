/**
 * Zero-downtime rebuilds: {@link dev.eskit.projection.rebuild.ShadowRebuild} rebuilds a projection into shadow tables
 * while the live tables keep serving reads, then swaps them in one transaction. See {@code docs/projections.md}.
 */
package dev.eskit.projection.rebuild;

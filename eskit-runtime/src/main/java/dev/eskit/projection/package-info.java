/**
 * Projections: read models built from the global log. The annotation processor generates a
 * {@link dev.eskit.projection.ProjectionHandler} for every {@code @Projection} class ({@code <Name>Handlers}).
 */
package dev.eskit.projection;

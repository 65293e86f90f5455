/**
 * Projections: read models built from the global log. The annotation processor generates a
 * {@link dev.eskit.projection.ProjectionHandler} for every {@code @Projection} class ({@code <Name>Handlers});
 * {@link dev.eskit.projection.Projector} runs one (or a plain lambda) as a {@link dev.eskit.subscription.Subscription},
 * and a rebuild resets the checkpoint and calls the projector's reset hook.
 */
package dev.eskit.projection;

/**
 * Reading the global log durably: {@link dev.eskit.subscription.Subscription} (checkpointed, in-order, at-least-once
 * delivery with retries, dead letters, a caught-up signal, live wake-ups and graceful stop), checkpoints, dead letters
 * and the {@link dev.eskit.subscription.AppendNotifier} hook stores use to wake subscribers. See
 * {@code docs/subscriptions.md}.
 */
package dev.eskit.subscription;

/**
 * Change notifications for live read models: a projection announces, after its update is committed, which keys of
 * which read model changed at which log position ({@link dev.eskit.change.Change}); a
 * {@link dev.eskit.change.ChangeNotifier} hands those changes to subscribers that registered for a read model or for
 * one key of it. Subscribers that fall behind never slow the projection: their bounded buffer is dropped and they
 * receive a {@link dev.eskit.change.Resync} instead, telling them to reload what they show.
 *
 * <pre>{@code
 * ChangeNotifier changes = ChangeNotifier.create();
 * Projector live = changes.announcing(Projector.of(new BalancesHandlers(balances)), ChangeKeys.streamId());
 * live.subscription(store, checkpoints).build().start();
 * try (ChangeSubscription alice = changes.subscribe(List.of(Topic.of("balances", "alice")))) {
 *     ChangeSignal next = alice.poll(Duration.ofSeconds(5)).orElseThrow();
 * }
 * }</pre>
 */
package dev.eskit.change;

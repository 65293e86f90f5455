package dev.eskit.jdbi;

import dev.eskit.Position;
import dev.eskit.change.Change;
import dev.eskit.change.ChangeNotifier;
import dev.eskit.change.ChangeSignal;
import dev.eskit.change.ChangeSubscription;
import dev.eskit.change.Topic;
import dev.eskit.jdbi.postgres.PostgresChangeRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Node A of {@link PostgresChangeRelayTest}: relays its changes over PostgreSQL and prints what it does. Arguments:
 * URL, channel, number of small changes. It listens for an "orders" change from node B (printing "got orders ..."),
 * then publishes the small changes of "balances" and one too large for a NOTIFY, and prints "sent" once all are out.
 */
public final class RelayNodeMain {
    private RelayNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String channel = args[1];
        int count = Integer.parseInt(args[2]);
        ChangeNotifier notifier = ChangeNotifier.create();
        try (PostgresChangeRelay relay = PostgresChangeRelay.start(url, channel, notifier);
             ChangeSubscription orders = notifier.subscribe(List.of(Topic.of("orders")))) {
            if (!relay.awaitListening(Duration.ofSeconds(60))) {
                System.out.println("not listening");
                return;
            }
            System.out.println("listening");
            Optional<ChangeSignal> fromB = orders.poll(Duration.ofSeconds(60));
            System.out.println("got orders " + fromB.map(ChangeSignal::position).orElse(null));
            for (int i = 1; i <= count; i++) {
                notifier.publish(Change.of("balances", List.of("k" + i), Position.of(i)));
            }
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                many.add("account-" + i);
            }
            notifier.publish(Change.of("balances", many, Position.of(count + 1)));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (relay.sent() < count + 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            System.out.println(relay.sent() == count + 1 ? "sent" : "not sent: " + relay.lastError().orElse(null));
            System.out.flush();
            // Stay up until the test ends: the parent kills this JVM.
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }
    }
}

package dev.eskit.jdbi;

import dev.eskit.jdbi.postgres.PostgresLeaderElection;
import dev.eskit.leader.LeaderSupervisor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;

/**
 * One application node of the leader-election test: a supervisor that runs the transactional balances projection
 * only while it holds the leadership, recording which node applied each event in {@code <q>handled_by}. Prints
 * {@code ready} once it competes and {@code handled <seq>} after each applied event commits... approximately: the
 * line is printed when the handler runs, inside the transaction. Arguments: {@code <node>} then
 * {@code postgres <url> <schema> <prefix>}.
 */
public final class LeaderNodeMain {

    static final Duration CHECK = Duration.ofMillis(100);

    private LeaderNodeMain() {
    }

    /** Runs the node until killed. */
    public static void main(String[] arguments) throws Exception {
        String node = arguments[0];
        List<String> args = List.of(arguments).subList(1, arguments.length);
        JdbiEventStore store = ProjectionChild.store(args);
        Jdbi jdbi = ProjectionChild.jdbi(args);
        String q = ProjectionChild.qualifier(args);
        PostgresLeaderElection election = PostgresLeaderElection.connect(args.get(1), args.get(2) + args.get(3));
        LeaderSupervisor supervisor = LeaderSupervisor.create(election, CHECK);
        supervisor.supervise(ProjectionChild.subscription(store, jdbi, q, (handle, event) -> {
            ProjectionChild.apply(handle, q, event);
            handle.execute("INSERT INTO " + q + "handled_by (seq, node) VALUES (?, ?)", event.globalPosition(), node);
            System.out.println("handled " + event.globalPosition());
            System.out.flush();
        }).pollInterval(Duration.ofMillis(50)));
        supervisor.start();
        System.out.println("ready");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}

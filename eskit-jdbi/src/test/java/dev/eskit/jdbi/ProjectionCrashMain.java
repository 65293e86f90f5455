package dev.eskit.jdbi;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;

/**
 * The child process of the projection crash test: runs the transactional balances projection and, at the event with
 * global sequence {@code stopAt} (in the middle of a transaction), prints {@code mid-batch} and waits to be killed.
 * Arguments: {@code <stopAt>} followed by the location arguments of {@link ProjectionChild}.
 */
public final class ProjectionCrashMain {

    private ProjectionCrashMain() {
    }

    /** Runs the projection until killed. */
    public static void main(String[] arguments) throws Exception {
        long stopAt = Long.parseLong(arguments[0]);
        List<String> args = List.of(arguments).subList(1, arguments.length);
        JdbiEventStore store = ProjectionChild.store(args);
        Jdbi jdbi = ProjectionChild.jdbi(args);
        String q = ProjectionChild.qualifier(args);
        CountDownLatch never = new CountDownLatch(1);
        ProjectionChild.subscription(store, jdbi, q, (handle, event) -> {
            ProjectionChild.apply(handle, q, event);
            if (event.globalPosition() == stopAt) {
                System.out.println("mid-batch");
                System.out.flush();
                never.await();
            }
        }).build().start();
        // Keep the JVM alive; the parent kills it.
        try {
            System.in.read();
        } catch (IOException e) {
            // The parent went away.
        }
        never.await();
    }
}

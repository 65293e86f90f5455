package dev.eskit.jdbi;

import dev.eskit.Decider;
import dev.eskit.command.CommandHandler;
import dev.eskit.jdbi.TestEvents.Deposited;
import java.util.List;

/**
 * The child process of {@link LongStreamCommandTest}, run with a small heap: handles one command on the long stream
 * {@code account/long} (no snapshots), so the handler folds every event, and prints {@code folded <version> <cents>}.
 * Arguments: the location arguments of {@link ProjectionChild}.
 */
public final class LongStreamCommandMain {

    private LongStreamCommandMain() {
    }

    /** Sums the deposits, then deposits once more. */
    public static void main(String[] arguments) {
        try (JdbiEventStore store = ProjectionChild.store(List.of(arguments))) {
            Decider<Long, Long, Object> sum = new Decider<>() {
                @Override
                public Long initialState() {
                    return 0L;
                }

                @Override
                public List<Object> decide(Long state, Long command) {
                    return List.of(new Deposited("long", command));
                }

                @Override
                public Long evolve(Long state, Object event) {
                    return state + ((Deposited) event).cents();
                }
            };
            var result = CommandHandler.of(store, sum, "account").handle("long", 1L);
            System.out.println("folded " + result.version() + " " + result.state());
            System.out.flush();
        }
    }
}

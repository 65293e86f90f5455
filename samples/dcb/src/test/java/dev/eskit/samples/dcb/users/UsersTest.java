package dev.eskit.samples.dcb.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eskit.command.RetryPolicy;
import dev.eskit.dcb.DcbCommandHandler;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.samples.dcb.RejectedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Unique user names, released when their user is deleted, on every store. */
class UsersTest {

    @TempDir
    Path dir;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> stores() {
        return dev.eskit.samples.dcb.Stores.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aNameIsUniqueUntilItsUserIsDeleted(String name, Function<Path, DcbEventStore> factory) {
        try (DcbEventStore store = factory.apply(dir)) {
            var register = DcbCommandHandler.of(store, new RegisterDecider(), RetryPolicy.attempts(20));
            var delete = DcbCommandHandler.of(store, new DeleteDecider(), RetryPolicy.attempts(20));
            register.handle(new RegisterUser("u1", "alice"));
            RejectedException taken = assertThrows(RejectedException.class,
                    () -> register.handle(new RegisterUser("u2", "alice")));
            assertEquals("The name \"alice\" is taken.", taken.getMessage());
            assertThrows(RejectedException.class, () -> register.handle(new RegisterUser("u1", "other")),
                    "a user id registers once");
            register.handle(new RegisterUser("u2", "bob"));
            delete.handle(new DeleteUser("u1"));
            assertThrows(RejectedException.class, () -> delete.handle(new DeleteUser("u1")));
            register.handle(new RegisterUser("u3", "alice"));
            assertThrows(RejectedException.class, () -> register.handle(new RegisterUser("u4", "alice")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void racingRegistrationsOfOneNameHaveOneWinner(String name, Function<Path, DcbEventStore> factory)
            throws Exception {
        try (DcbEventStore store = factory.apply(dir)) {
            var register = DcbCommandHandler.of(store, new RegisterDecider(), RetryPolicy.attempts(20));
            int contenders = 8;
            ExecutorService pool = Executors.newFixedThreadPool(contenders);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    String user = "u" + i;
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            register.handle(new RegisterUser(user, "zoe"));
                            return true;
                        } catch (RejectedException lost) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Boolean> result : results) {
                    winners += result.get(120, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, winners);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, store.read(Query.of(QueryItem.types("users.UserRegistered"))).size());
        }
    }
}

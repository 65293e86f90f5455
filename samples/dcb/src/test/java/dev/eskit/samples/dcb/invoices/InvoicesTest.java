package dev.eskit.samples.dcb.invoices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eskit.StoredEvent;
import dev.eskit.command.RetryPolicy;
import dev.eskit.dcb.DcbCommandHandler;
import dev.eskit.dcb.DcbEventStore;
import dev.eskit.dcb.Query;
import dev.eskit.dcb.QueryItem;
import dev.eskit.dcb.Tag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Consecutive invoice numbers, also when invoices are created concurrently, on every store. */
class InvoicesTest {

    @TempDir
    Path dir;

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> stores() {
        return dev.eskit.samples.dcb.Stores.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void concurrentInvoicesGetConsecutiveNumbers(String name, Function<Path, DcbEventStore> factory)
            throws Exception {
        try (DcbEventStore store = factory.apply(dir)) {
            var invoicing = DcbCommandHandler.of(store, new InvoicingDecider(), RetryPolicy.attempts(100));
            int threads = 4;
            int perThread = 10;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String customer = "c" + t;
                    done.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            invoicing.handle(new CreateInvoice(customer));
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> future : done) {
                    future.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            List<Long> numbers = store.read(Query.of(QueryItem.types("invoices.InvoiceCreated"))).stream()
                    .map(e -> ((InvoiceCreated) e.data()).number()).toList();
            assertEquals(LongStream.rangeClosed(1, threads * perThread).boxed().toList(), numbers);
            List<StoredEvent<Object>> seventh = store.read(Query.of(QueryItem.tags(Tag.of("invoice", 7))));
            assertEquals(1, seventh.size());
        }
    }

    @Test
    void theNextNumberFollowsTheLast() {
        InvoicingSpec.given(new InvoiceCreated(1, "a"), new InvoiceCreated(2, "b"))
                .when(new CreateInvoice("c"))
                .then(new InvoiceCreated(3, "c"));
        InvoicingSpec.when(new CreateInvoice("first")).then(new InvoiceCreated(1, "first"));
    }
}

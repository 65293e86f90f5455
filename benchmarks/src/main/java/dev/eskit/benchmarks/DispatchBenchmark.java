package dev.eskit.benchmarks;

import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.benchmarks.domain.AccountDecider;
import dev.eskit.benchmarks.domain.AccountEvent;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Deposited;
import dev.eskit.benchmarks.domain.Opened;
import dev.eskit.benchmarks.domain.Totals;
import dev.eskit.benchmarks.domain.TotalsHandlers;
import dev.eskit.benchmarks.domain.Withdrawn;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Dispatch of one event to its handler method, over a mix of three event types (80% deposits, 10% withdrawals, 10%
 * openings, in a fixed pseudo-random order): the generated {@code TotalsHandlers} / {@code AccountDecider} against a
 * hand-written {@code instanceof} chain calling the same methods directly, {@code Method.invoke} and a
 * {@code MethodHandle} found by class. Reflection appears here only, as a baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DispatchBenchmark {

    private static final int MASK = 1023;

    private final StoredEvent<?>[] stored = new StoredEvent<?>[MASK + 1];
    private final AccountEvent[] events = new AccountEvent[MASK + 1];
    private final Totals totals = new Totals();
    private final TotalsHandlers handlers = new TotalsHandlers(totals);
    private final AccountDecider decider = new AccountDecider();
    private final Map<Class<?>, Method> methods = new HashMap<>();
    private final Map<Class<?>, MethodHandle> handles = new HashMap<>();
    private AccountState state = AccountState.INITIAL;
    private int next;

    @Setup
    public void prepare() throws ReflectiveOperationException {
        java.util.Random random = new java.util.Random(42);
        StreamRef stream = StreamRef.of("account", "a");
        for (int i = 0; i <= MASK; i++) {
            int roll = random.nextInt(10);
            AccountEvent event = roll == 0 ? new Opened("a", "o", "EUR")
                    : roll == 1 ? new Withdrawn("a", 5, "fee") : new Deposited("a", 7, "r", 1L);
            events[i] = event;
            stored[i] = new StoredEvent<>(UUID.randomUUID(), stream, i + 1, "t", 1, Position.of(i + 1),
                    Instant.EPOCH, Metadata.empty(), event);
        }
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        for (Class<?> type : List.of(Opened.class, Deposited.class, Withdrawn.class)) {
            String name = type == Opened.class ? "opened" : type == Deposited.class ? "deposited" : "withdrawn";
            Method method = Totals.class.getMethod(name, type);
            methods.put(type, method);
            handles.put(type, lookup.findVirtual(Totals.class, name, MethodType.methodType(void.class, type))
                    .asType(MethodType.methodType(void.class, Totals.class, Object.class)));
        }
    }

    /** The generated projection dispatch ({@code TotalsHandlers.handle}). */
    @Benchmark
    public long projectionGenerated() {
        handlers.handle(stored[next++ & MASK]);
        return totals.checksum();
    }

    /** A hand-written {@code instanceof} chain calling the same methods. */
    @Benchmark
    public long projectionDirect() {
        RawStore.project(totals, stored[next++ & MASK].data());
        return totals.checksum();
    }

    /** {@code Method.invoke} looked up by the event's class. */
    @Benchmark
    public long projectionReflection() throws ReflectiveOperationException {
        Object event = stored[next++ & MASK].data();
        methods.get(event.getClass()).invoke(totals, event);
        return totals.checksum();
    }

    /** A {@code MethodHandle} looked up by the event's class. */
    @Benchmark
    public long projectionMethodHandle() throws Throwable {
        Object event = stored[next++ & MASK].data();
        handles.get(event.getClass()).invokeExact(totals, event);
        return totals.checksum();
    }

    /** The generated decider's {@code evolve} (the state record it returns is the only allocation). */
    @Benchmark
    public AccountState evolveGenerated() {
        state = decider.evolve(state, events[next++ & MASK]);
        return state;
    }

    /** A hand-written {@code instanceof} fold calling the same methods. */
    @Benchmark
    public AccountState evolveDirect() {
        state = RawStore.fold(state, events[next++ & MASK]);
        return state;
    }
}

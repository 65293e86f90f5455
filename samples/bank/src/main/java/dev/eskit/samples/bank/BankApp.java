package dev.eskit.samples.bank;

import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.Retry;
import dev.eskit.StoredEvent;
import dev.eskit.StreamRef;
import dev.eskit.automation.Automations;
import dev.eskit.codec.EventTypes;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.command.CommandBus;
import dev.eskit.command.CommandContext;
import dev.eskit.command.CommandResult;
import dev.eskit.jdbi.JdbiEventStore;
import dev.eskit.projection.ProjectionHandler;
import dev.eskit.subscription.Subscription;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The bank sample's main job: opens two accounts, pays money in and out, has an overdraft refused, moves money from
 * one account to the other through an automation, and builds the balances read model from the global log, printing
 * each step.
 *
 * <pre>
 * mvn -q -pl samples/bank -am compile exec:java                       # SQLite file samples/bank/target/bank.db
 * mvn -q -pl samples/bank -am compile exec:java -Dexec.args="jdbc:postgresql://127.0.0.1:5432/test?user=postgres"
 * </pre>
 *
 * <p>Every run appends to the same store, so balances grow from run to run; inspect the store with the {@code eskit}
 * tool (see {@code docs/cli.md}).
 */
public final class BankApp {

    /** The balances projection's checkpoint name (what {@code eskit projections list} shows). */
    public static final String BALANCES = "balances";

    /** The transfers automation's name and checkpoint name. */
    public static final String TRANSFERS = "transfers";

    /** The metadata entry of a withdrawal that names the account the money goes to. */
    public static final String TRANSFER_TO = "transferTo";

    private BankApp() {
    }

    /**
     * Runs the sample.
     *
     * @param args optionally a JDBC URL ({@code jdbc:sqlite:...} or {@code jdbc:postgresql://...}) or the path of a
     *             SQLite file ({@code target/bank.db} by default), then optionally a PostgreSQL schema
     */
    public static void main(String[] args) {
        // Jdbi logs through SLF4J; the sample has no logging backend, and SLF4J would say so on every run.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        String url = args.length > 0 ? args[0] : "target/bank.db";
        run(url, args.length > 1 ? args[1] : null, System.out);
    }

    /**
     * What a run did.
     *
     * @param url              the store's URL
     * @param eventsAppended   how many events this run appended
     * @param rejected         the message of the refused overdraft
     * @param balances         every account's balance in cents, from the projection
     * @param eventsInStore    how many events the projection read from the whole log
     * @param transferId       the correlation id of the transfer
     */
    public record Summary(String url, int eventsAppended, String rejected, Map<String, Long> balances,
                          long eventsInStore, String transferId) {
    }

    /** Runs the sample against the store at {@code location}, printing to {@code out}. */
    public static Summary run(String location, PrintStream out) {
        return run(location, null, out);
    }

    /**
     * Runs the sample against the store at {@code location} (in PostgreSQL schema {@code schema} when it is not
     * {@code null}), printing to {@code out}.
     */
    public static Summary run(String location, String schema, PrintStream out) {
        String url = location.startsWith("jdbc:") ? location : "jdbc:sqlite:" + location;
        if (url.startsWith("jdbc:sqlite:")) {
            createParentDirectory(url.substring("jdbc:sqlite:".length()));
        }
        EventTypes types = EventTypes.of(new BankEventTypes());
        JdbiEventStore.Builder builder = JdbiEventStore.builder(JsonEventCodec.create(types)).url(url);
        if (schema != null) {
            builder.schema(schema);
        }
        try (JdbiEventStore store = builder.build()) {
            out.println("eskit bank sample on " + store.databaseName() + " (" + url + ")");
            CommandBus bus = CommandBus.builder(store)
                    .register(AccountDecider.routes())
                    .retry(Retry.attempts(3))
                    .build();
            int appended = 0;

            appended += open(bus, out, "alice", "Alice");
            appended += open(bus, out, "bob", "Bob");
            appended += send(bus, out, new Deposit("alice", 100_00), "deposited 100.00 to alice");
            appended += send(bus, out, new Deposit("bob", 20_00), "deposited 20.00 to bob");
            appended += send(bus, out, withdraw("alice", 30_00, "rent"), "withdrew 30.00 from alice (rent)");

            // An overdraft: one cent more than bob has. The decider refuses it and nothing is appended.
            long bobBalance = balances(store).get("bob");
            String rejected;
            try {
                bus.send(withdraw("bob", bobBalance + 1, "cash"));
                throw new IllegalStateException("The overdraft was accepted");
            } catch (InsufficientFundsException e) {
                rejected = e.getMessage();
                out.println("rejected: withdraw " + money(bobBalance + 1) + " from bob: " + rejected);
            }

            // A transfer: alice's withdrawal says in its metadata where the money goes, and the "transfers" automation
            // reacts to it by depositing into bob's account. The deposit carries the withdrawal's correlation id, and
            // the withdrawal's id as its causation id, so the log ties the two together.
            String transferId = "transfer-" + UUID.randomUUID();
            long bobBefore = store.streamVersion(StreamRef.of("account", "bob"));
            try (Subscription transfers = Automations.subscription(TRANSFERS, store, store.checkpoints(), bus,
                    BankApp::transfer).eventTypes("bank.Withdrawn").build().start()) {
                CommandContext context = CommandContext.of(Metadata.correlatedBy(transferId).with(TRANSFER_TO, "bob"));
                List<? extends StoredEvent<?>> withdrawn = bus.send(withdraw("alice", 25_00, "transfer to bob"),
                        context).events();
                appended += withdrawn.size();
                if (!transfers.awaitPosition(withdrawn.get(0).position(), Duration.ofSeconds(30))) {
                    throw new IllegalStateException("The transfers automation did not handle the withdrawal in 30 s.");
                }
            }
            long deposited = store.streamVersion(StreamRef.of("account", "bob")) - bobBefore;
            if (deposited != 1) {
                throw new IllegalStateException("The transfers automation deposited " + deposited + " times, not once.");
            }
            appended += 1;
            out.println("transferred 25.00 from alice to bob: the \"" + TRANSFERS + "\" automation deposited it"
                    + " (correlation " + transferId + ")");

            Balances balances = new Balances();
            ProjectionHandler handler = new BalancesHandlers(balances);
            long read = catchUp(store, handler);
            out.println("balances (projection \"" + handler.name() + "\" over " + read + " events): "
                    + format(balances.all()));
            out.println("appended " + appended + " events this run; inspect the store with:");
            out.println("  eskit-cli/eskit streams list --url " + url);
            return new Summary(url, appended, rejected, balances.all(), read, transferId);
        }
    }

    /**
     * The transfers automation: a withdrawal whose metadata names a {@link #TRANSFER_TO target account} causes a
     * deposit of the same amount there. It decides from the event alone, so a redelivered withdrawal causes the same
     * command, which the command bus recognises by its idempotency key.
     */
    static List<?> transfer(StoredEvent<Object> event) {
        String target = event.metadata().extras().get(TRANSFER_TO);
        if (target == null || !(event.data() instanceof Withdrawn withdrawn)) {
            return List.of();
        }
        return List.of(new Deposit(target, withdrawn.amountCents()));
    }

    /** The one place that builds a withdrawal command (its shape changes as the sample's schema evolves). */
    private static Withdraw withdraw(String accountId, long amountCents, String reason) {
        return new Withdraw(accountId, amountCents, reason);
    }

    private static int open(CommandBus bus, PrintStream out, String accountId, String owner) {
        CommandResult<?, ?> result = bus.send(new OpenAccount(accountId, owner));
        out.println(result.events().isEmpty() ? "account " + accountId + " is already open"
                : "opened account " + accountId + " for " + owner);
        return result.events().size();
    }

    private static int send(CommandBus bus, PrintStream out, Object command, String done) {
        int appended = bus.send(command).events().size();
        out.println(done);
        return appended;
    }

    /**
     * Runs the balances projection over the whole log, page by page, until it has seen every event appended so far,
     * and saves its checkpoint. This read model lives in memory, so it is rebuilt from the start on every run; one
     * kept in a table would resume from the checkpoint.
     *
     * <p>On PostgreSQL the global log shows a commit only once every older transaction on the server has ended, so
     * the last append may take a moment to appear: the loop waits for the store's newest position (for at most 30
     * seconds) instead of stopping at the first empty page.
     */
    private static long catchUp(JdbiEventStore store, ProjectionHandler handler) {
        Position head = store.raw().stats().lastPosition();
        Position position = Position.START;
        long read = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (position.compareTo(head) < 0) {
            List<StoredEvent<Object>> page = store.readAll(position, 500, Set.of());
            if (page.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The log stopped at " + position + " before " + head + ": a"
                            + " transaction somewhere on the database server has been open for 30 seconds.");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                continue;
            }
            for (StoredEvent<Object> event : page) {
                if (handler.eventTypes().contains(event.eventType())) {
                    handler.handle(event);
                    read++;
                }
            }
            position = page.get(page.size() - 1).position();
        }
        store.checkpoints().save(BALANCES, position);
        return read;
    }

    private static Map<String, Long> balances(JdbiEventStore store) {
        Balances balances = new Balances();
        catchUp(store, new BalancesHandlers(balances));
        return balances.all();
    }

    private static String format(Map<String, Long> balances) {
        StringBuilder text = new StringBuilder();
        new java.util.TreeMap<>(balances).forEach((account, cents) -> text.append(text.length() == 0 ? "" : ", ")
                .append(account).append(' ').append(money(cents)));
        return text.toString();
    }

    private static String money(long cents) {
        return String.format("%d.%02d", cents / 100, Math.abs(cents % 100));
    }

    private static void createParentDirectory(String path) {
        int query = path.indexOf('?');
        Path file = Path.of(query >= 0 ? path.substring(0, query) : path).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot create the directory for " + file + ": " + e.getMessage(), e);
        }
    }
}

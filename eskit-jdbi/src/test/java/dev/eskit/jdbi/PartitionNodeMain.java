package dev.eskit.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eskit.jdbi.subscription.JdbiPartitionLeases;
import dev.eskit.jdbi.subscription.JdbiTransactor;
import dev.eskit.partition.PartitionLease;
import dev.eskit.partition.PartitionedSubscription;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;

/**
 * One application node of the partition tests: a {@link PartitionedSubscription} named {@code "spread"} on a
 * PostgreSQL store. Arguments: {@code <node> <mode> <out-file> <partitions> <lease-ms> <renew-ms>} then
 * {@code postgres <url> <schema> <prefix>}. Mode {@code plain}: an at-least-once handler that appends one 16-byte
 * record per handler call to {@code <out-file>} (partition, fencing token, stream number, version; one write each, so
 * a record is either there or not after kill -9). Mode {@code tx}: a transactional handler that inserts one row per
 * event into {@code <q>spread_applied} in the transaction that saves the checkpoint, fenced. Prints {@code ready}.
 */
public final class PartitionNodeMain {

    private PartitionNodeMain() {
    }

    /** Runs the node until killed (or until stdin closes, then it leaves gracefully). */
    public static void main(String[] arguments) throws Exception {
        String node = arguments[0];
        String mode = arguments[1];
        Path out = Path.of(arguments[2]);
        int partitions = Integer.parseInt(arguments[3]);
        Duration lease = Duration.ofMillis(Long.parseLong(arguments[4]));
        Duration renew = Duration.ofMillis(Long.parseLong(arguments[5]));
        List<String> args = List.of(arguments).subList(6, arguments.length);
        JdbiEventStore store = ProjectionChild.store(args);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(args.get(1));
        config.setMaximumPoolSize(partitions + 2);
        Jdbi jdbi = Jdbi.create(new HikariDataSource(config));
        String q = ProjectionChild.qualifier(args);
        JdbiPartitionLeases leases = JdbiPartitionLeases.create(jdbi, store);
        PartitionedSubscription.Builder builder = PartitionedSubscription.builder("spread", store,
                        store.checkpoints(), leases)
                .partitions(partitions).node(node).leaseDuration(lease).renewInterval(renew)
                .subscriptions(partition -> partition.batchSize(1000).checkpointEvery(1000)
                        .checkpointInterval(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(100)));
        PartitionedSubscription[] self = new PartitionedSubscription[1];
        if (mode.equals("tx")) {
            builder.transactional(JdbiTransactor.of(jdbi, store), leases.fence(), (handle, event) ->
                    handle.execute("INSERT INTO " + q + "spread_applied (stream, version, node) VALUES (?, ?, ?)",
                            event.streamId(), event.version(), node));
        } else {
            FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            builder.handler(event -> {
                int partition = self[0].partitionOf(event);
                long token = self[0].lease(partition).map(PartitionLease::token).orElse(-1L);
                ByteBuffer record = ByteBuffer.allocate(16);
                record.putInt(partition).putInt((int) token).putInt(Integer.parseInt(event.streamId().substring(1)))
                        .putInt((int) event.version()).flip();
                synchronized (channel) {
                    while (record.hasRemaining()) {
                        channel.write(record);
                    }
                }
            });
        }
        self[0] = builder.build();
        self[0].start();
        System.out.println("ready");
        System.out.flush();
        // The parent closes our stdin to ask for a graceful leave.
        while (System.in.read() >= 0) {
            continue;
        }
        self[0].close();
        System.out.println("left");
        System.out.flush();
        new CountDownLatch(1).await();
    }
}

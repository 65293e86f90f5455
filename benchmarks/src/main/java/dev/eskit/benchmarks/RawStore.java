package dev.eskit.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.eskit.benchmarks.domain.Account;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.Deposited;
import dev.eskit.benchmarks.domain.Opened;
import dev.eskit.benchmarks.domain.Totals;
import dev.eskit.benchmarks.domain.Withdrawn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * The baseline: what a careful engineer writes by hand with JDBC and jackson-databind, doing the same work as the
 * store (same rows, same statements, same transactions), with cached statements and cached Jackson readers/writers,
 * and a hand-written {@code instanceof} fold.
 */
abstract class RawStore implements AutoCloseable {

    static final String OPENED = "domain.Opened";
    static final String DEPOSITED = "domain.Deposited";
    static final String WITHDRAWN = "domain.Withdrawn";

    private final ObjectWriter openedWriter;
    private final ObjectWriter depositedWriter;
    private final ObjectWriter withdrawnWriter;
    private final ObjectReader openedReader;
    private final ObjectReader depositedReader;
    private final ObjectReader withdrawnReader;

    RawStore() {
        ObjectMapper mapper = new ObjectMapper();
        openedWriter = mapper.writerFor(Opened.class);
        depositedWriter = mapper.writerFor(Deposited.class);
        withdrawnWriter = mapper.writerFor(Withdrawn.class);
        openedReader = mapper.readerFor(Opened.class);
        depositedReader = mapper.readerFor(Deposited.class);
        withdrawnReader = mapper.readerFor(Withdrawn.class);
    }

    /** The folded state of a stream and its version. */
    record Loaded(AccountState state, long version) {
    }

    /** An event ready to bind. */
    record Row(UUID id, String type, byte[] data) {
    }

    /**
     * Appends {@code events} in one transaction if the stream is at {@code expectedVersion}.
     *
     * @return the new stream version
     */
    abstract long append(String streamType, String streamId, long expectedVersion, List<?> events, byte[] metadata)
            throws SQLException;

    /** Loads and folds a stream. */
    abstract Loaded load(String streamType, String streamId) throws SQLException;

    /** Reads the whole global log in pages, through {@code totals}; returns the number of events. */
    abstract long catchUp(Totals totals, int pageSize) throws SQLException;

    @Override
    public abstract void close() throws SQLException;

    final Row[] encode(List<?> events) {
        Row[] rows = new Row[events.size()];
        try {
            for (int i = 0; i < rows.length; i++) {
                Object event = events.get(i);
                if (event instanceof Deposited) {
                    rows[i] = new Row(dev.eskit.internal.Ids.timeOrdered(), DEPOSITED,
                            depositedWriter.writeValueAsBytes(event));
                } else if (event instanceof Withdrawn) {
                    rows[i] = new Row(dev.eskit.internal.Ids.timeOrdered(), WITHDRAWN,
                            withdrawnWriter.writeValueAsBytes(event));
                } else {
                    rows[i] = new Row(dev.eskit.internal.Ids.timeOrdered(), OPENED,
                            openedWriter.writeValueAsBytes(event));
                }
            }
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    final Object decode(String type, byte[] data) {
        try {
            return switch (type) {
                case DEPOSITED -> depositedReader.readValue(data);
                case WITHDRAWN -> withdrawnReader.readValue(data);
                case OPENED -> openedReader.readValue(data);
                default -> throw new IllegalStateException("unknown type " + type);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AccountState fold(AccountState state, Object event) {
        if (event instanceof Deposited deposited) {
            return Account.deposited(state, deposited);
        }
        if (event instanceof Withdrawn withdrawn) {
            return Account.withdrawn(state, withdrawn);
        }
        return Account.opened(state, (Opened) event);
    }

    static void project(Totals totals, Object event) {
        if (event instanceof Deposited deposited) {
            totals.deposited(deposited);
        } else if (event instanceof Withdrawn withdrawn) {
            totals.withdrawn(withdrawn);
        } else {
            totals.opened((Opened) event);
        }
    }

    /** The metadata a command writes: correlation and causation = the command id. */
    static byte[] commandMetadata(UUID commandId) {
        String id = commandId.toString();
        return ("{\"correlationId\":\"" + id + "\",\"causationId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static long micros(java.time.Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}

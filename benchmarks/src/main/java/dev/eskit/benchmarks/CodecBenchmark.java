package dev.eskit.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.benchmarks.domain.Deposited;
import dev.eskit.codec.JsonEventCodec;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encoding and decoding one event record: eskit's codec against plain jackson-databind on the same record. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {

    private final Deposited event = new Deposited("account-42", 12_345, "invoice 2026-0117", 1_700_000_000_000L);
    private JsonEventCodec codec;
    private ObjectMapper plain;
    private byte[] json;

    @Setup
    public void prepare() throws IOException {
        codec = JsonEventCodec.create(Databases.TYPES);
        plain = new ObjectMapper();
        json = plain.writeValueAsBytes(event);
    }

    /** {@code JsonEventCodec.encode}. */
    @Benchmark
    public Object eskitEncode() {
        return codec.encode(event);
    }

    /** {@code ObjectMapper.writeValueAsBytes}. */
    @Benchmark
    public byte[] rawEncode() throws IOException {
        return plain.writeValueAsBytes(event);
    }

    /** {@code JsonEventCodec.decode} by wire name and schema version. */
    @Benchmark
    public Object eskitDecode() {
        return codec.decode("domain.Deposited", 1, json);
    }

    /** {@code ObjectMapper.readValue(bytes, Deposited.class)}. */
    @Benchmark
    public Deposited rawDecode() throws IOException {
        return plain.readValue(json, Deposited.class);
    }
}

package dev.eskit.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eskit.benchmarks.domain.Deposited;
import dev.eskit.benchmarks.domain.DomainCodecs;
import dev.eskit.Metadata;
import dev.eskit.Position;
import dev.eskit.StreamRef;
import dev.eskit.codec.EventContext;
import dev.eskit.codec.JsonEventCodec;
import dev.eskit.codec.StreamingEventCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * Encoding and decoding one event record: eskit's codecs against plain jackson-databind on the same record.
 * {@code eskit*} go through {@code JsonEventCodec}, which uses the generated codec of {@code domain.Deposited};
 * {@code generated*} call that generated {@code ValueCodec} directly over jackson-core; {@code cbor*} go through
 * {@code StreamingEventCodec.cbor}. {@code eskitDecode} calls what the stores call per row
 * ({@code decode(type, version, data, EventContext)}, see {@code EventReader}), which reads with a parser kept from
 * the previous value, while {@code generatedDecode} builds a parser per value; {@code eskitMetadataDecode} is the
 * metadata of a command's append (correlation, causation and initiator), which the stores decode once per append.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {

    private final Deposited event = new Deposited("account-42", 12_345, "invoice 2026-0117", 1_700_000_000_000L);
    private JsonEventCodec codec;
    private ObjectMapper plain;
    private byte[] json;
    private byte[] cbor;
    private StreamingEventCodec cborCodec;
    private EventContext where;
    private byte[] metadata;
    private final JsonFactory factory = new JsonFactory();

    @Setup
    public void prepare() throws IOException {
        codec = JsonEventCodec.create(Databases.TYPES);
        plain = new ObjectMapper();
        json = plain.writeValueAsBytes(event);
        cborCodec = StreamingEventCodec.cbor(Databases.TYPES);
        cbor = cborCodec.encode(event).data();
        where = new EventContext(UUID.randomUUID(), StreamRef.of("account", "account-42"), 7,
                Position.of(1_234));
        metadata = codec.encodeMetadata(Metadata.empty().withCorrelationId(UUID.randomUUID().toString())
                .withCausationId(UUID.randomUUID().toString()).withInitiator("user-17"));
    }

    /** The generated {@code DomainCodecs.DEPOSITED} writing to a byte array. */
    @Benchmark
    public byte[] generatedEncode() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator generator = factory.createGenerator(out)) {
            DomainCodecs.DEPOSITED.write(generator, event);
        }
        return out.toByteArray();
    }

    /** The generated {@code DomainCodecs.DEPOSITED} reading the same bytes as {@link #rawDecode()}. */
    @Benchmark
    public Deposited generatedDecode() throws IOException {
        try (JsonParser parser = factory.createParser(json)) {
            parser.nextToken();
            return DomainCodecs.DEPOSITED.read(parser);
        }
    }

    /** {@code StreamingEventCodec.cbor(...).encode}. */
    @Benchmark
    public Object cborEncode() {
        return cborCodec.encode(event);
    }

    /** {@code StreamingEventCodec.cbor(...).decode}. */
    @Benchmark
    public Object cborDecode() {
        return cborCodec.decode("domain.Deposited", 1, cbor);
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

    /** {@code JsonEventCodec.decode} by wire name and schema version, with the event's context, as the stores call it. */
    @Benchmark
    public Object eskitDecode() {
        return codec.decode("domain.Deposited", 1, json, where);
    }

    /** {@code JsonEventCodec.decodeMetadata} of a command's metadata (correlation, causation, initiator). */
    @Benchmark
    public Object eskitMetadataDecode() {
        return codec.decodeMetadata(metadata);
    }

    /** {@code ObjectMapper.readValue(bytes, Deposited.class)}. */
    @Benchmark
    public Deposited rawDecode() throws IOException {
        return plain.readValue(json, Deposited.class);
    }
}

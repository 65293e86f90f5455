package dev.eskit.benchmarks;

import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.eskit.benchmarks.domain.AccountState;
import dev.eskit.benchmarks.domain.DomainCodecs;
import dev.eskit.snapshot.StateCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding one snapshot state with the generated state codec ({@code DomainCodecs.ACCOUNT_STATE_SNAPSHOTS}, JSON)
 * and the same codec over CBOR ({@code StateCodec.of(..., new CBORFactory())}): what a command handler pays per
 * snapshot it loads, without the database read.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StateCodecBenchmark {

    private final AccountState state = new AccountState("owner-42", 1_234_567, 9_999);
    private StateCodec<AccountState> json;
    private StateCodec<AccountState> cbor;
    private byte[] jsonData;
    private byte[] cborData;

    @Setup
    public void prepare() {
        json = DomainCodecs.ACCOUNT_STATE_SNAPSHOTS;
        cbor = StateCodec.of(DomainCodecs.ACCOUNT_STATE, json.schema(), new CBORFactory());
        jsonData = json.encode(state);
        cborData = cbor.encode(state);
    }

    /** {@code ACCOUNT_STATE_SNAPSHOTS.decode}: a JSON snapshot. */
    @Benchmark
    public AccountState jsonStateDecode() {
        return json.decode(jsonData);
    }

    /** The generated state codec over CBOR. */
    @Benchmark
    public AccountState cborStateDecode() {
        return cbor.decode(cborData);
    }
}

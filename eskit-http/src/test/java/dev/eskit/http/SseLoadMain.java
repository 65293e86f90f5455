package dev.eskit.http;

/**
 * The full-size loopback load test of the change stream (not run by {@code mvn verify}; it takes the machine for a
 * minute): 1,000 SSE clients, 2,000 changes at 200 per second by default.
 *
 * <pre>
 * mvn -q -pl eskit-http -am test-compile exec:java@load
 * mvn -q -pl eskit-http -am test-compile exec:java@load -Dexec.args="1000 2000 200"   # clients changes per-second
 * </pre>
 *
 * <p>Give the JVM room for the threads: one per open stream on the server side.
 */
public final class SseLoadMain {
    private SseLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int changes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int perSecond = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        SseLoad.Result result = SseLoad.run(clients, changes, perSecond);
        System.out.printf("clients %d, changes %d at %d/s: delivered %d of %d, out of order %d, resyncs %d%n",
                result.clients(), result.changes(), perSecond, result.delivered(),
                (long) result.clients() * result.changes(), result.outOfOrder(), result.resyncs());
        System.out.printf("commit -> client latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", result.p50Millis(),
                result.p99Millis(), result.maxMillis());
        System.out.printf("heap per connected client (server and client in this JVM): %.1f KiB%n",
                result.heapPerClientKb());
        if (!result.complete()) {
            throw new IllegalStateException("INCOMPLETE: some clients missed changes or got them out of order");
        }
        System.out.println("complete: every client got every change in order");
    }
}

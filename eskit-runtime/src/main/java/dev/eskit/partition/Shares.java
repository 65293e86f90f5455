package dev.eskit.partition;

import java.util.ArrayList;
import java.util.List;

/** How the partitions are shared among the live nodes. */
final class Shares {

    private Shares() {
    }

    /**
     * How many partitions {@code node} should hold: {@code partitions / live}, one more for the first
     * {@code partitions % live} nodes of the sorted {@code live} list, so the targets add up to {@code partitions}.
     */
    static int target(List<String> live, String node, int partitions) {
        int rank = Math.max(0, live.indexOf(node));
        int nodes = Math.max(1, live.size());
        return partitions / nodes + (rank < partitions % nodes ? 1 : 0);
    }

    /**
     * The partitions in the order {@code node} prefers them: from a start that depends on its name, round. Nodes
     * starting at different places rarely race for one partition; a node releases from the end of its order.
     */
    static List<Integer> preference(String node, int partitions) {
        int start = PartitionedSubscription.partitionOf(node, partitions);
        List<Integer> order = new ArrayList<>(partitions);
        for (int i = 0; i < partitions; i++) {
            order.add((start + i) % partitions);
        }
        return order;
    }
}

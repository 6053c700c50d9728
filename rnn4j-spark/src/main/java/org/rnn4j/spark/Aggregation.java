package org.rnn4j.spark;

/** How the driver gathers the shards' gradients each step. */
public enum Aggregation {
    /**
     * The shards are collected and summed on the driver in partition order (in double precision),
     * so the result never depends on which task finished first: a run is bit-identical to a
     * single-machine run that sums the same shards in the same order.
     */
    EXACT,
    /**
     * {@code treeAggregate}: partial sums are combined on the executors in the order tasks
     * finish, so the driver receives a few arrays instead of one per partition. Results agree with
     * {@link #EXACT} to rounding (double accumulation), not bit for bit.
     */
    FAST
}

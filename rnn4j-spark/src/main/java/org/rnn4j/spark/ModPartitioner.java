package org.rnn4j.spark;

/**
 * Sends sample {@code i} (its global index is the key) to partition {@code i mod P}: every
 * contiguous batch is spread evenly over the partitions whatever the input layout, and which
 * samples form a shard depends only on P, never on the input's partitioning.
 */
final class ModPartitioner extends org.apache.spark.Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    ModPartitioner(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        return (int) Math.floorMod((Long) key, (long) partitions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModPartitioner && ((ModPartitioner) o).partitions == partitions;
    }

    @Override
    public int hashCode() {
        return partitions;
    }
}

package io.termsgate.jobs;

import java.util.List;
import java.util.UUID;

/**
 * Work split into partitions that any worker may run, in any order, on any instance: a batch's chunks of lines (and,
 * in docs/scale.md, a backtest's ranges of the log). The service's own {@link JobRunner} runs them on a few threads;
 * a distributed engine (Apache Spark, docs/scale.md) would ask for the same partitions and run each on an executor.
 *
 * <p>A partition is claimed before it is run (a conditional update: one worker at a time), its claim runs out when its
 * worker dies, and running one again decides nothing twice, so a crash, a retried executor or two instances sharing
 * the work only cost time.
 */
public interface PartitionedJob {

    /** A partition of one job: the items {@code first} to {@code last}, inclusive (lines of a file, seqs of the log). */
    record Partition(UUID job, long first, long last) {}

    /** Partitions ready to run now: not done, and claimed by no one (or their claim ran out); at most {@code limit}. */
    List<Partition> ready(int limit);

    /**
     * Claims the partition for {@code worker} and runs what is left of it; false when someone else holds it or it is
     * done. Returns early, leaving the rest to a later run, when the thread is interrupted or the claim is lost.
     */
    boolean run(Partition partition, String worker);
}

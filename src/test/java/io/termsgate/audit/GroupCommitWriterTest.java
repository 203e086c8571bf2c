package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The group commit against a real (in-memory H2) decision log: batches, order, timeouts, failures, duplicates. */
class GroupCommitWriterTest {

    private final AuditDatabase database = new AuditDatabase();
    private final JdbcDecisionLog log = database.log();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstBatchTaken = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private GroupCommitWriter writer;

    /** A writer whose first commit waits for {@link #release}, so that what is submitted meanwhile piles up. */
    private GroupCommitWriter writerHeldAtFirstBatch(Duration commitTimeout) {
        writer = new GroupCommitWriter(
                batch -> {
                    batchSizes.add(batch.size());
                    if (batchSizes.size() == 1) {
                        firstBatchTaken.countDown();
                        await(release);
                    }
                    return log.commit(batch);
                },
                AuditDatabase.properties(commitTimeout),
                AuditDatabase.metrics());
        return writer;
    }

    @AfterEach
    void close() {
        release.countDown();
        if (writer != null) {
            writer.close();
        }
        log.close();
    }

    @Test
    void decisionsArrivingDuringACommitShareTheNextOneAndKeepTheirOrderInTheChain() throws Exception {
        writerHeldAtFirstBatch(Duration.ofSeconds(3));
        CompletableFuture<LoggedDecision> first = writer.submit(AuditDatabase.record("C-0", null));
        await(firstBatchTaken);
        List<DecisionRecord> queued = new ArrayList<>();
        List<CompletableFuture<LoggedDecision>> waiting = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            DecisionRecord record = AuditDatabase.record("C-" + i, null);
            queued.add(record);
            waiting.add(writer.submit(record));
        }
        release.countDown();

        assertThat(first.get(5, TimeUnit.SECONDS).seq()).isEqualTo(1);
        for (int i = 0; i < waiting.size(); i++) {
            LoggedDecision logged = waiting.get(i).get(5, TimeUnit.SECONDS);
            assertThat(logged.seq()).isEqualTo(i + 2);
            assertThat(logged.record()).isSameAs(queued.get(i));
        }
        assertThat(batchSizes).containsExactly(1, 5);
        assertThat(log.chain(1, 10))
                .extracting(d -> d.record().customerId())
                .containsExactly("C-0", "C-1", "C-2", "C-3", "C-4", "C-5");
        assertThat(new ChainVerifier(log).verify(null, null).valid()).isTrue();
    }

    @Test
    void aFailedCommitFailsEveryDecisionOfItsBatchAndTheWriterRecoversWhenTheDatabaseIsBack() throws Exception {
        writerHeldAtFirstBatch(Duration.ofSeconds(3));
        CompletableFuture<LoggedDecision> first = writer.submit(AuditDatabase.record("C-0", null));
        await(firstBatchTaken);
        List<CompletableFuture<LoggedDecision>> batch = List.of(
                writer.submit(AuditDatabase.record("C-1", null)),
                writer.submit(AuditDatabase.record("C-2", null)),
                writer.submit(AuditDatabase.record("C-3", null)));
        database.jdbc
                .sql("ALTER TABLE decision_log RENAME TO decision_log_away")
                .update(); // the database "fails"
        release.countDown();

        assertFailsUnavailable(first);
        batch.forEach(GroupCommitWriterTest::assertFailsUnavailable);
        assertThat(batchSizes).containsExactly(1, 3);

        database.jdbc
                .sql("ALTER TABLE decision_log_away RENAME TO decision_log")
                .update();
        LoggedDecision next = writer.commit(AuditDatabase.record("C-4", null));
        assertThat(next.seq()).isEqualTo(1); // nothing of the failed batches was written, the head did not move
        assertThat(new ChainVerifier(log).verify(null, null).valid()).isTrue();
    }

    @Test
    void aCallerGivesUpAfterTheCommitTimeoutAndItsDecisionIsNeverWritten() {
        writerHeldAtFirstBatch(Duration.ofMillis(200));
        writer.submit(AuditDatabase.record("C-0", null));
        await(firstBatchTaken);
        DecisionRecord late = AuditDatabase.record("C-late", null);
        long start = System.nanoTime();

        assertThatThrownBy(() -> writer.commit(late))
                .isInstanceOf(AuditLogUnavailableException.class)
                .hasMessage("the decision log did not confirm the commit within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

        release.countDown();
        LoggedDecision after = writer.commit(AuditDatabase.record("C-after", null));
        assertThat(after.seq()).isEqualTo(2);
        assertThat(log.find(late.decisionId())).isEmpty();
    }

    @Test
    void anIdempotencyKeyIsLoggedOnceWithinABatchAndAcrossBatches() throws Exception {
        writerHeldAtFirstBatch(Duration.ofSeconds(3));
        writer.submit(AuditDatabase.record("C-0", null));
        await(firstBatchTaken);
        CompletableFuture<LoggedDecision> original = writer.submit(AuditDatabase.record("C-1", "key-1"));
        CompletableFuture<LoggedDecision> sameBatch = writer.submit(AuditDatabase.record("C-1", "key-1"));
        CompletableFuture<LoggedDecision> otherKey = writer.submit(AuditDatabase.record("C-1", "key-2"));
        release.countDown();

        assertThat(original.get(5, TimeUnit.SECONDS).seq()).isEqualTo(2);
        assertThat(otherKey.get(5, TimeUnit.SECONDS).seq()).isEqualTo(3);
        assertThatThrownBy(() -> sameBatch.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(DuplicateIdempotencyKeyException.class);
        assertThatThrownBy(() -> writer.commit(AuditDatabase.record("C-1", "key-1")))
                .isInstanceOf(DuplicateIdempotencyKeyException.class);
        assertThat(log.findByIdempotencyKey("checkout", "key-1"))
                .get()
                .extracting(LoggedDecision::seq)
                .isEqualTo(2L);
        assertThat(new ChainVerifier(log).verify(null, null).checked()).isEqualTo(3);
    }

    private static void assertFailsUnavailable(CompletableFuture<LoggedDecision> future) {
        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AuditLogUnavailableException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

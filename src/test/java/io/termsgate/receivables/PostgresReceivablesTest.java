package io.termsgate.receivables;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.Http;
import io.termsgate.support.PostgresDatabase;
import io.termsgate.support.ServiceTest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The receivables import on PostgreSQL, the production database (the machine's server, else an embedded one; never
 * skipped), and what only PostgreSQL shows: two requests importing one file at once make one import.
 */
// its own database: closed after the class, so the machine's PostgreSQL is not left holding its pool
@org.springframework.test.annotation.DirtiesContext
@ServiceTest
@ActiveProfiles({"test", "postgres"})
class PostgresReceivablesTest extends ReceivablesScenarios {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresDatabase.Database db = PostgresDatabase.newDatabase();
        registry.add("spring.datasource.url", db::url);
        registry.add("spring.datasource.username", db::user);
        registry.add("spring.datasource.password", db::password);
    }

    @Test
    void twoRequestsSendingOneFileAtOnceMakeOneImport() {
        StringBuilder file = new StringBuilder(HEADER);
        for (int i = 0; i < 1500; i++) {
            file.append(buyer)
                    .append('-')
                    .append(i)
                    .append(",2026-11-01,")
                    .append(i)
                    .append(",,,\n");
        }
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Http.Response>> posts = List.of(1, 2).stream()
                .map(n -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return csv(file.toString());
                }))
                .toList();
        start.countDown();
        List<Http.Response> answers =
                posts.stream().map(CompletableFuture::join).toList();

        assertThat(answers).extracting(Http.Response::status).containsExactlyInAnyOrder(201, 200);
        assertThat(answers.get(0).json().get("id"))
                .isEqualTo(answers.get(1).json().get("id"));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM receivables_import WHERE sha256 = ?")
                        .param(answers.get(0).json().get("sha256").asText())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(snapshotsOf(buyer + "-7")).isEqualTo(1);
    }
}

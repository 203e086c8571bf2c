package io.termsgate.receivables;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The ERP's receivables import over real HTTP, on the real database: files in, all or nothing, once per file, and
 * what the credit lines read back. Run on H2 and on PostgreSQL.
 */
@TestPropertySource(properties = {"termsgate.http.max-receivables-body=200KB", "termsgate.receivables.max-rows=2000"})
abstract class ReceivablesScenarios {

    static final String HEADER = "customerId,asOf,outstandingBalance,invoicesPaid,avgDaysBeyondTerms,maxDaysPastDue\n";

    @LocalServerPort
    int port;

    @Autowired
    Receivables receivables;

    @Autowired
    JdbcClient jdbc;

    Http http;

    /** Each test uses its own buyers, so tests share one database without seeing each other. */
    String buyer;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        buyer = "B-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Http.Response csv(String body) {
        return http.post("/api/v1/receivables", "demo-erp", "text/csv", body);
    }

    Http.Response jsonLines(String body) {
        return http.post("/api/v1/receivables", "demo-erp", "application/x-ndjson", body);
    }

    long snapshotsOf(String customerId) {
        return jdbc.sql("SELECT COUNT(*) FROM receivables_snapshot WHERE customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single();
    }

    @Test
    void aCsvFileIsImportedAndTheLatestSnapshotIsWhatCreditLinesRead() {
        Http.Response created = csv(HEADER
                + buyer + ",2026-11-01,1200.50,24,4.5,12\n"
                + buyer + ",2026-11-15T00:00:00Z,800,25,,\n"
                + buyer + "-2,2026-11-15T10:00:00+01:00,0,0,0,0\n");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("rows").asInt()).isEqualTo(3);
        assertThat(body.get("customers").asInt()).isEqualTo(2);
        assertThat(body.get("sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(body.get("client").asText()).isEqualTo("demo-erp");
        assertThat(created.header("Location"))
                .isEqualTo("/api/v1/receivables/" + body.get("id").asText());

        ReceivablesSnapshot latest = receivables.latest(buyer).orElseThrow();
        assertThat(latest.asOf()).isEqualTo(Instant.parse("2026-11-15T00:00:00Z"));
        assertThat(latest.outstandingBalance()).isEqualByComparingTo("800");
        assertThat(latest.invoicesPaid()).isEqualTo(25);
        assertThat(latest.avgDaysBeyondTerms()).isNull(); // blank: unknown
        assertThat(latest.maxDaysPastDue()).isNull();
        assertThat(receivables.latest(buyer + "-2").orElseThrow().asOf())
                .isEqualTo(Instant.parse("2026-11-15T09:00:00Z"));

        Http.Response summary = http.get(created.header("Location"), "demo-auditor");
        assertThat(summary.status()).isEqualTo(200);
        assertThat(summary.json()).isEqualTo(body);
        Http.Response history = http.get("/api/v1/receivables/customers/" + buyer, "demo-auditor");
        assertThat(history.status()).as(history.body()).isEqualTo(200);
        assertThat(history.json().get("totalItems").asLong()).isEqualTo(2);
        JsonNode first = history.json().get("items").get(0);
        assertThat(first.get("asOf").asText()).isEqualTo("2026-11-15T00:00:00Z");
        assertThat(first.get("outstandingBalance").toString()).isEqualTo("800");
        assertThat(history.json().get("items").get(1).get("outstandingBalance").toString())
                .isEqualTo("1200.5");
        assertThat(history.json().get("items").get(1).get("avgDaysBeyondTerms").toString())
                .isEqualTo("4.5");
    }

    @Test
    void aJsonLinesFileIsImportedWithNumbersExact() {
        Http.Response created = http.post(
                "/api/v1/receivables",
                "demo-erp",
                "application/jsonl",
                "{\"customerId\":\"" + buyer + "\",\"asOf\":\"2026-10-31T23:59:59.123456Z\","
                        + "\"outstandingBalance\":99999999999999.99,\"invoicesPaid\":3,"
                        + "\"avgDaysBeyondTerms\":0.1234567891,\"maxDaysPastDue\":null}\n"
                        + "\n"
                        + "{\"customerId\":\"" + buyer + "-b\",\"asOf\":\"2026-10-31\",\"outstandingBalance\":5}\r\n");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("rows").asInt()).isEqualTo(2);
        ReceivablesSnapshot latest = receivables.latest(buyer).orElseThrow();
        assertThat(latest.outstandingBalance()).isEqualByComparingTo(new BigDecimal("99999999999999.99"));
        assertThat(latest.avgDaysBeyondTerms()).isEqualByComparingTo(new BigDecimal("0.1234567891"));
        assertThat(latest.asOf()).isEqualTo(Instant.parse("2026-10-31T23:59:59.123456Z"));
        assertThat(latest.maxDaysPastDue()).isNull();
        assertThat(receivables.latest(buyer + "-b").orElseThrow().invoicesPaid())
                .isNull();
    }

    @Test
    void theSameFileAgainIsTheSameImportAndWritesNothing() {
        String file = HEADER + buyer + ",2026-11-01,100,1,1,1\n";
        Http.Response first = csv(file);
        Http.Response again = csv(file);

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(snapshotsOf(buyer)).isEqualTo(1);
    }

    @Test
    void aBadRowIsNamedAndNothingIsImported() {
        Http.Response rejected = csv(HEADER
                + buyer + ",2026-11-01,100,1,1,1\n"
                + buyer + ",2026-11-02,-5,1,1,1\n"
                + buyer + ",2026-11-03,100,1,1,1\n");

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(422);
        assertThat(rejected.header("Content-Type")).startsWith("application/problem+json");
        JsonNode problem = rejected.json();
        assertThat(problem.get("type").asText()).isEqualTo("/problems/receivables-rejected");
        assertThat(problem.get("detail").asText()).isEqualTo("1 of 3 rows are bad (1 problems); nothing was imported");
        assertThat(problem.get("errors")).hasSize(1);
        assertThat(problem.at("/errors/0/line").asLong()).isEqualTo(3);
        assertThat(problem.at("/errors/0/field").asText()).isEqualTo("outstandingBalance");
        assertThat(problem.at("/errors/0/message").asText())
                .isEqualTo("must be an amount of at least 0 with at most 2 decimal places, below 1000000000000000");
        assertThat(snapshotsOf(buyer)).isZero();
        assertThat(receivables.latest(buyer)).isEmpty();
    }

    @Test
    void hostileValuesAreRefusedByTheRequestsOwnRules() {
        Http.Response rejected = csv(HEADER
                + buyer + ",2026-11-01,1" + "0".repeat(1000) + ",1,1,1\n" // 2: a huge digit string
                + buyer + ",2026-11-02,1e400,1,1,1\n" // 3
                + buyer + ",2026-11-03,1E+300000000,1,1,1\n" // 4
                + buyer + ",2026-11-04,10.005,1,1,1\n" // 5: three decimals
                + buyer + ",2026-11-05,10,-1,1,1\n" // 6
                + buyer + ",2026-11-06,10,1.5,1,1\n" // 7
                + "=cmd|' /C calc'!A0,2026-11-07,10,1,1,1\n" // 8: CSV injection
                + buyer + ",2026-13-01,10,1,1,1\n" // 9
                + buyer + ",2999-01-01,10,1,1,1\n" // 10: the future
                + buyer + ",2026-11-08,ten,1,1,1\n" // 11
                + ",2026-11-09,,1,1,1\n" // 12: two required values missing
                + buyer + ",2026-11-10,10,1\n" // 13: too few values
                + buyer + ",2026-11-20,10,1,1,1\n" // 14: good, but the file is refused
                + buyer + ",2026-11-11,10,99999999999,1,1\n" // 15
                + buyer + ",2026-11-12,0x10,1,1,1\n"); // 16

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(422);
        List<String> errors = new ArrayList<>();
        rejected.json()
                .get("errors")
                .forEach(e -> errors.add(e.get("line").asLong() + " "
                        + e.get("field").asText() + ": " + e.get("message").asText()));
        assertThat(errors)
                .containsExactly(
                        "2 outstandingBalance: must be an amount of at least 0 with at most 2 decimal places, below 1000000000000000",
                        "3 outstandingBalance: must be an amount of at least 0 with at most 2 decimal places, below 1000000000000000",
                        "4 outstandingBalance: must be an amount of at least 0 with at most 2 decimal places, below 1000000000000000",
                        "5 outstandingBalance: must be an amount of at least 0 with at most 2 decimal places, below 1000000000000000",
                        "6 invoicesPaid: must be an integer of at least 0",
                        "7 invoicesPaid: must be an integer of at least 0 (no fraction)",
                        "8 customerId: must be 1 to 64 characters of A-Z a-z 0-9 . _ : -",
                        "9 asOf: " + ReceivablesRows.AS_OF_RULE,
                        "10 asOf: " + ReceivablesRows.AS_OF_RULE,
                        "11 outstandingBalance: must be a number: an amount of at least 0 with at most 2 decimal places, below 1000000000000000",
                        "12 customerId: is required",
                        "12 outstandingBalance: is required",
                        "13 null: has 4 values; the header names 6 columns",
                        "15 invoicesPaid: must be an integer of at least 0",
                        "16 outstandingBalance: must be a number: an amount of at least 0 with at most 2 decimal places, below 1000000000000000");
        assertThat(rejected.json().get("badRows").asLong()).isEqualTo(14);
        assertThat(rejected.json().get("rows").asLong()).isEqualTo(15);
        assertThat(snapshotsOf(buyer)).isZero();
    }

    @Test
    void aCellLongerThanAnyValidValueStopsTheReading() {
        Http.Response rejected = csv(HEADER + buyer + ",2026-11-01,1,,,\n" + buyer + ",2026-11-02," + "9".repeat(5000)
                + ",,,\n" + buyer + ",2026-11-03,1,,,\n");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(422);
        assertThat(rejected.json().at("/errors/0/line").asLong()).isEqualTo(3);
        assertThat(rejected.json().at("/errors/0/message").asText())
                .isEqualTo("holds a value longer than 1024 characters");
        assertThat(snapshotsOf(buyer)).isZero();
    }

    @Test
    void aDuplicateOfAGoodRowIsNamedWithBothLines() {
        Http.Response rejected =
                jsonLines("{\"customerId\":\"" + buyer + "\",\"asOf\":\"2026-11-01\",\"outstandingBalance\":1}\n"
                        + "{\"customerId\":\"" + buyer + "\",\"asOf\":\"2026-11-02\",\"outstandingBalance\":1}\n"
                        + "{\"customerId\":\"" + buyer + "\",\"asOf\":\"2026-11-01T01:00:00+01:00\","
                        + "\"outstandingBalance\":2}\n");

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(422);
        assertThat(rejected.json().at("/errors/0/line").asLong()).isEqualTo(3);
        assertThat(rejected.json().at("/errors/0/message").asText())
                .isEqualTo("repeats line 1: one row per customerId and asOf");
        assertThat(snapshotsOf(buyer)).isZero();
    }

    @Test
    void brokenJsonLinesAreNamedOneByOne() {
        Http.Response rejected = jsonLines("{\"customerId\":\"" + buyer + "\",\"asOf\":\"2026-11-01\","
                + "\"outstandingBalance\":1e400}\n"
                + "{\"customerId\":\"" + buyer + "\",\"asOf\":\"2026-11-02\",\"outstandingBalance\":\"5\"}\n"
                + "not json\n"
                + "[1,2]\n"
                + "{\"customerId\":\"" + buyer + "\",\"asOf\":\"2026-11-03\",\"outstandingBalance\":1,\"discount\":5}\n"
                + "{\"customerId\":\"" + buyer + "\",\"customerId\":\"x\",\"asOf\":\"2026-11-04\","
                + "\"outstandingBalance\":1}\n"
                + "{\"customerId\":\"" + buyer + "\",\"asOf\":20261105,\"outstandingBalance\":1}\n");

        assertThat(rejected.status()).as(rejected.body()).isEqualTo(422);
        JsonNode errors = rejected.json().get("errors");
        assertThat(errors).hasSize(7);
        assertThat(errors.get(0).get("field").asText()).isEqualTo("outstandingBalance");
        assertThat(errors.get(1).get("message").asText()).startsWith("must be a JSON number");
        assertThat(errors.get(2).get("line").asLong()).isEqualTo(3);
        assertThat(errors.get(2).get("message").asText()).startsWith("The line is not valid JSON (column ");
        assertThat(errors.get(3).get("message").asText()).startsWith("must be a JSON object");
        assertThat(errors.get(4).get("field").asText()).isEqualTo("discount");
        assertThat(errors.get(4).get("message").asText()).startsWith("is not a column of a receivables file");
        assertThat(errors.get(5).get("message").asText()).contains("Duplicate field");
        assertThat(errors.get(6).get("field").asText()).isEqualTo("asOf");
        assertThat(snapshotsOf(buyer)).isZero();
    }

    @Test
    void theHeaderMustNameTheColumnsAndNoOthers() {
        Http.Response missing = csv("customerId,outstandingBalance\n" + buyer + ",1\n");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().at("/errors/0/line").asLong()).isEqualTo(1);
        assertThat(missing.json().at("/errors/0/field").asText()).isEqualTo("asOf");
        assertThat(missing.json().at("/errors/0/message").asText())
                .isEqualTo("is a required column; the header lacks it");

        Http.Response extra = csv("customerId,asOf,outstandingBalance,creditScore\n" + buyer + ",2026-11-01,1,50\n");
        assertThat(extra.status()).isEqualTo(422);
        assertThat(extra.json().at("/errors/0/field").asText()).isEqualTo("creditScore");
        assertThat(extra.json().at("/errors/0/message").asText()).startsWith("is not a column of a receivables file");

        // the optional columns may be left out altogether, and a byte order mark is not part of a name
        Http.Response minimal = csv("\uFEFFcustomerId,asOf,outstandingBalance\r\n" + buyer + ",2026-11-01,1\r\n");
        assertThat(minimal.status()).as(minimal.body()).isEqualTo(201);
        assertThat(receivables.latest(buyer).orElseThrow().invoicesPaid()).isNull();
    }

    @Test
    void emptyFilesAreRefused() {
        for (String empty : List.of("", HEADER, "\n\n")) {
            Http.Response rejected = csv(empty);
            assertThat(rejected.status()).as(rejected.body()).isEqualTo(422);
            assertThat(rejected.json().get("detail").asText())
                    .isEqualTo("The file holds no rows; nothing was imported");
        }
        assertThat(jsonLines("").status()).isEqualTo(422);
    }

    @Test
    void theBodyAndTheRowsAreBounded() {
        StringBuilder big = new StringBuilder(HEADER);
        while (big.length() <= 200 * 1024) {
            big.append(buyer).append(",2026-11-01,1,1,1,1\n");
        }
        Http.Response tooLarge = csv(big.toString());
        assertThat(tooLarge.status()).as(tooLarge.body()).isEqualTo(413);
        assertThat(tooLarge.json().get("type").asText()).isEqualTo("/problems/payload-too-large");

        StringBuilder tooLong = new StringBuilder(HEADER);
        for (int i = 0; i < 2001; i++) {
            tooLong.append(buyer).append('-').append(i).append(",2026-11-01,1,,,\n");
        }
        Http.Response rows = csv(tooLong.toString());
        assertThat(rows.status()).as(rows.body()).isEqualTo(413);
        assertThat(rows.json().get("detail").asText()).contains("more than 2000 rows");
        assertThat(snapshotsOf(buyer + "-1")).isZero();
    }

    @Test
    void onlyCsvAndJsonLinesInUtf8AreAccepted() {
        Http.Response json = http.postJson("/api/v1/receivables", "demo-erp", "{}");
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.json().get("type").asText()).isEqualTo("/problems/unsupported-media-type");
        Http.Response latin1 = http.postBytes(
                "/api/v1/receivables",
                "demo-erp",
                "text/csv; charset=ISO-8859-1",
                (HEADER + buyer + ",2026-11-01,1,,,\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(latin1.status()).isEqualTo(415);
        Http.Response notUtf8 = http.postBytes(
                "/api/v1/receivables",
                "demo-erp",
                "text/csv",
                (HEADER + buyer + "\u00e9,2026-11-01,1,,,\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(notUtf8.status()).as(notUtf8.body()).isEqualTo(422);
        assertThat(notUtf8.json().at("/errors/0/message").asText()).isEqualTo("is not UTF-8 text");
    }

    @Test
    void theLatestAsOfWinsAndOfOneAsOfTheLaterImport() {
        assertThat(csv(HEADER + buyer + ",2026-11-10,100,,,\n").status()).isEqualTo(201);
        assertThat(csv(HEADER + buyer + ",2026-11-01,200,,,\n").status()).isEqualTo(201); // older news, later
        assertThat(receivables.latest(buyer).orElseThrow().outstandingBalance()).isEqualByComparingTo("100");

        assertThat(csv(HEADER + buyer + ",2026-11-10,300,,,\n").status()).isEqualTo(201); // a correction
        assertThat(receivables.latest(buyer).orElseThrow().outstandingBalance()).isEqualByComparingTo("300");

        Http.Response history = http.get("/api/v1/receivables/customers/" + buyer + "?size=2&page=0", "demo-erp");
        assertThat(history.json().get("totalItems").asLong()).isEqualTo(3);
        assertThat(history.json().get("totalPages").asLong()).isEqualTo(2);
        assertThat(history.json().at("/items/0/outstandingBalance").toString()).isEqualTo("300");
        assertThat(history.json().at("/items/1/outstandingBalance").toString()).isEqualTo("100");
    }

    @Test
    void queriesAreChecked() {
        assertThat(http.get("/api/v1/receivables/customers/" + buyer + "?size=0", "demo-auditor")
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/receivables/customers/" + buyer + "?page=x", "demo-auditor")
                        .status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/receivables/customers/a%20b", "demo-auditor")
                        .json()
                        .at("/errors/0/field")
                        .asText())
                .isEqualTo("customerId");
        assertThat(http.get("/api/v1/receivables/not-a-uuid", "demo-auditor").status())
                .isEqualTo(400);
        assertThat(http.get("/api/v1/receivables/" + UUID.randomUUID(), "demo-auditor")
                        .status())
                .isEqualTo(404);
        assertThat(http.get("/api/v1/receivables/customers/" + buyer, "demo-checkout")
                        .status())
                .isEqualTo(403);
        assertThat(http.post("/api/v1/receivables", "demo-auditor", "text/csv", HEADER)
                        .status())
                .isEqualTo(403);
    }
}

package io.termsgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Hostile or broken input always gets a clear 4xx problem, never a 5xx and never a decision. */
@ServiceTest
@org.springframework.test.context.TestPropertySource(
        properties = {
            "termsgate.http.max-upload-body=1MB",
            "spring.servlet.multipart.max-request-size=1MB",
            "spring.servlet.multipart.max-file-size=1MB"
        })
class HostileInputTest {

    static final String PATH = "/api/v1/credit-decisions";

    @LocalServerPort
    int port;

    Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    static Stream<String> hostileBodies() {
        String valid = PolicyExamples.byCustomerId("EX-01").request().toString();
        return Stream.of(
                "[".repeat(5000) + "]".repeat(5000),
                "{\"customer\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(101),
                valid.replace("\"amount\":25000", "\"amount\":1e400"),
                valid.replace("\"amount\":25000", "\"amount\":1e-400"),
                // found by fuzzing: Jackson threw a bare NumberFormatException for this, which became a 500
                valid.replace("\"amount\":25000", "\"amount\":1999999999e2000000000000000000000000000000000"),
                valid.replace("\"amount\":25000", "\"amount\":" + "9".repeat(200)),
                valid.replace("\"amount\":25000", "\"amount\":NaN"),
                valid.replace("\"amount\":25000", "\"amount\":Infinity"),
                valid.replace("\"amount\":25000", "\"amount\":-0.0"),
                valid.replace("\"amount\":25000", "\"amount\":0x10"),
                valid.replace("\"id\":\"EX-01\"", "\"id\":\"" + "A".repeat(100_000) + "\""),
                valid.replace("\"id\":\"EX-01\"", "\"id\":\"EX\\u0000-01\""),
                valid.replace("\"id\":\"EX-01\"", "\"id\":\"EX\u0007-01\""),
                valid.replace("\"country\":\"DE\"", "\"country\":\"D\\u0045\\u0000\""),
                valid.replace("\"flags\":[]", "\"flags\":[" + "\"FRAUD_ALERT\",".repeat(1000) + "\"X\"]"),
                valid + "garbage",
                valid + valid,
                "\uFEFF" + valid.substring(0, 10),
                "null",
                "\"just a string\"",
                "{\"customer\":{},\"order\":{},\"customer\":{}}",
                new String(new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}, StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @MethodSource("hostileBodies")
    void everyHostileBodyIsA4xxProblem(String body) {
        Http.Response response = http.postJson(PATH, "demo-checkout", body);

        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).startsWith("/problems/");
    }

    @Test
    void aBodyOverTheLimitIs413WithOrWithoutALength() throws Exception {
        String huge = "{\"customer\":\"" + "x".repeat(70_000) + "\"}";
        Http.Response declared = http.postJson(PATH, "demo-checkout", huge);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().get("type").asText()).isEqualTo("/problems/payload-too-large");

        // chunked: no Content-Length, cut off while reading
        HttpResponse<String> chunked = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + PATH))
                                .header("Content-Type", "application/json")
                                .header("X-API-Key", "demo-checkout")
                                .POST(HttpRequest.BodyPublishers.ofInputStream(
                                        () -> new ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
    }

    @Test
    void aChunkedRulesetUploadIsCountedWhileReadNotOnlyByItsDeclaredLength() throws Exception {
        byte[] big = new byte
                [(int) org.springframework.util.unit.DataSize.ofMegabytes(2).toBytes()];
        for (String type : new String[] {"application/zip", "multipart/form-data; boundary=xyz"}) {
            byte[] body = type.startsWith("multipart")
                    ? ("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rules/a.drl\"\r\n\r\n"
                                    + new String(big, StandardCharsets.ISO_8859_1)
                                    + "\r\n--xyz--\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1)
                    : zipOf(big);
            HttpResponse<String> chunked = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/rulesets"))
                                    .header("Content-Type", type)
                                    .header("X-API-Key", "demo-analyst")
                                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                                            () -> new ByteArrayInputStream(body)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(chunked.statusCode()).as(type + " " + chunked.body()).isEqualTo(413);
            assertThat(chunked.body()).contains("/problems/payload-too-large");
        }
    }

    /** A zip of one incompressible entry: the zip reader reads all of it, so the count is what stops it. */
    private static byte[] zipOf(byte[] bytes) throws java.io.IOException {
        new java.util.Random(42).nextBytes(bytes);
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(zip)) {
            out.putNextEntry(new java.util.zip.ZipEntry("decision-tables/big.dmn"));
            out.write(bytes);
            out.closeEntry();
        }
        return zip.toByteArray();
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        Http.Response unknown = http.get("/api/v1/nothing-here", "demo-checkout");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");

        Http.Response method = http.send("DELETE", PATH, "demo-checkout");
        assertThat(method.status()).isIn(403, 405);
        Http.Response put = http.send("PUT", PATH, "demo-auditor");
        assertThat(put.status()).isIn(403, 405);
        assertThat(put.header("Content-Type")).startsWith("application/problem+json");

        Http.Response doubleSlash = http.send("POST", "/api/v1/rulesets//approve", "demo-approver");
        assertThat(doubleSlash.status()).isEqualTo(400);
        assertThat(doubleSlash.header("Content-Type")).startsWith("application/problem+json");

        Http.Response notAcceptable = http.postJson(
                PATH,
                "demo-checkout",
                PolicyExamples.byCustomerId("EX-01").request().toString(),
                "Accept",
                "application/xml");
        assertThat(notAcceptable.status()).isEqualTo(406);
    }

    @Test
    void aHostileIdempotencyKeyOrApiKeyIsRefusedCleanly() {
        String valid = PolicyExamples.byCustomerId("EX-01").request().toString();
        assertThat(http.postJson(PATH, "demo-checkout", valid, "Idempotency-Key", "a\tb")
                        .status())
                .isEqualTo(400);
        assertThat(http.postJson(PATH, "k".repeat(1_000), valid).status()).isEqualTo(401);
    }
}

package io.termsgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The published API description tells the truth: real answers of every endpoint, successes and problems, are
 * checked against /v3/api-docs as the service serves it.
 */
@ServiceTest
@DirtiesContext
class ApiContractTest {

    @LocalServerPort
    int port;

    record Call(Request.Method method, String path, Http.Response response) {}

    @Test
    void everyEndpointAnswersAsItsPublishedDescriptionSays() throws Exception {
        Http http = new Http(port);
        Http.Response docs = http.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().at("/components/securitySchemes/apiKey/name").asText())
                .isEqualTo("X-API-Key");
        assertThat(docs.json()
                        .at("/paths/~1api~1v1~1credit-decisions/post/responses/400/content")
                        .has("application/problem+json"))
                .isTrue();
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(docs.body())
                .build();
        assertThat(http.get("/swagger-ui/index.html", null).status()).isEqualTo(200);

        List<Call> calls = new ArrayList<>();
        String body = PolicyExamples.byCustomerId("EX-01").request().toString();
        Http.Response decided =
                http.postJson("/api/v1/credit-decisions", "demo-checkout", body, "Idempotency-Key", "contract-1");
        String id = decided.json().get("decisionId").asText();
        calls.add(new Call(Request.Method.POST, "/api/v1/credit-decisions", decided));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/credit-decisions",
                http.postJson("/api/v1/credit-decisions", "demo-checkout", body, "Idempotency-Key", "contract-1")));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/credit-decisions",
                http.postJson(
                        "/api/v1/credit-decisions",
                        "demo-checkout",
                        PolicyExamples.byCustomerId("EX-04").request().toString(),
                        "Idempotency-Key",
                        "contract-1")));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/credit-decisions",
                http.postJson("/api/v1/credit-decisions", "demo-checkout", "{\"customer\": 1}")));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/credit-decisions",
                http.postJson("/api/v1/credit-decisions", null, body)));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/credit-decisions",
                http.postJson("/api/v1/credit-decisions", "demo-auditor", body)));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/credit-decisions",
                http.post("/api/v1/credit-decisions", "demo-checkout", "text/plain", "x")));

        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/credit-decisions/" + id,
                http.get("/api/v1/credit-decisions/" + id, "demo-auditor")));
        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/credit-decisions/" + java.util.UUID.randomUUID(),
                http.get("/api/v1/credit-decisions/" + java.util.UUID.randomUUID(), "demo-auditor")));
        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/credit-decisions",
                http.get("/api/v1/credit-decisions?customerId=EX-01&outcome=APPROVED&size=5", "demo-auditor")));
        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/credit-decisions",
                http.get("/api/v1/credit-decisions?from=yesterday", "demo-auditor")));
        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/credit-decisions/export",
                http.get("/api/v1/credit-decisions/export?customerId=EX-01", "demo-auditor")));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/credit-decisions/" + id + "/replay",
                http.send("POST", "/api/v1/credit-decisions/" + id + "/replay", "demo-auditor")));
        calls.add(
                new Call(Request.Method.GET, "/api/v1/audit/verify", http.get("/api/v1/audit/verify", "demo-auditor")));

        // a buyer's line and orders (demo-buyer is EX-01), another customer's (403), a bad page (400)
        com.fasterxml.jackson.databind.node.ObjectNode order =
                PolicyExamples.byCustomerId("EX-01").request().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) order.get("order")).put("id", "SO-CONTRACT");
        assertThat(http.postJson("/api/v1/credit-decisions", "demo-checkout", order.toString())
                        .status())
                .isEqualTo(201);
        for (String path : List.of(
                "/api/v1/credit-lines/EX-01",
                "/api/v1/credit-lines/EX-02",
                "/api/v1/credit-lines/EX-01/orders",
                "/api/v1/credit-lines/EX-02/orders")) {
            calls.add(new Call(Request.Method.GET, path, http.get(path, "demo-buyer")));
        }
        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/credit-lines/EX-01/orders",
                http.get("/api/v1/credit-lines/EX-01/orders?page=-1", "demo-buyer")));

        String live = http.get("/api/v1/rulesets/active", "demo-analyst")
                .json()
                .get("version")
                .asText();
        calls.add(new Call(
                Request.Method.GET, "/api/v1/rulesets/active", http.get("/api/v1/rulesets/active", "demo-analyst")));
        calls.add(new Call(Request.Method.GET, "/api/v1/rulesets", http.get("/api/v1/rulesets", "demo-analyst")));
        calls.add(new Call(
                Request.Method.GET, "/api/v1/rulesets/" + live, http.get("/api/v1/rulesets/" + live, "demo-analyst")));
        Http.Response upload = http.postMultipart(
                "/api/v1/rulesets",
                "demo-rule-author",
                Map.of("base", live),
                new Http.Part(
                        "file",
                        "rules/contract.drl",
                        "package termsgate.contract;\n".getBytes(StandardCharsets.UTF_8)));
        String candidate = upload.json().at("/version").asText();
        calls.add(new Call(Request.Method.POST, "/api/v1/rulesets", upload));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/rulesets",
                http.postMultipart(
                        "/api/v1/rulesets",
                        "demo-rule-author",
                        Map.of("base", live),
                        new Http.Part("file", "rules/broken.drl", "rule".getBytes(StandardCharsets.UTF_8)))));
        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/rulesets/" + live + "/diff/" + candidate,
                http.get("/api/v1/rulesets/" + live + "/diff/" + candidate, "demo-analyst")));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/rulesets/" + candidate + "/activate",
                http.send("POST", "/api/v1/rulesets/" + candidate + "/activate", "demo-approver")));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/rulesets/" + candidate + "/approve",
                http.send("POST", "/api/v1/rulesets/" + candidate + "/approve", "demo-approver")));
        calls.add(new Call(
                Request.Method.POST,
                "/api/v1/rulesets/" + candidate + "/activate",
                http.send("POST", "/api/v1/rulesets/" + candidate + "/activate", "demo-approver")));
        Http.Response backtest = http.send(
                "POST",
                "/api/v1/rulesets/" + candidate + "/backtests?from="
                        + Instant.now().minusSeconds(600),
                "demo-analyst");
        calls.add(new Call(Request.Method.POST, "/api/v1/rulesets/" + candidate + "/backtests", backtest));
        String location = backtest.header("Location");
        JsonNode status;
        do {
            Thread.sleep(100);
            status = http.get(location, "demo-analyst").json();
        } while (status.at("/backtest/status").asText().equals("RUNNING"));
        calls.add(new Call(Request.Method.GET, location, http.get(location, "demo-analyst")));
        calls.add(new Call(
                Request.Method.GET, location + "/report.json", http.get(location + "/report.json", "demo-analyst")));
        calls.add(new Call(
                Request.Method.GET, location + "/report.csv", http.get(location + "/report.csv", "demo-analyst")));

        // credit lines: an order that holds credit, the line, a capture, a second capture (409), an unknown hold
        String contractOrder = body.replace("\"order\":{", "\"order\":{\"id\":\"SO-CONTRACT\",")
                .replace("\"id\":\"EX-01\"", "\"id\":\"CONTRACT-1\"");
        Http.Response placed = http.postJson("/api/v1/credit-decisions", "demo-checkout", contractOrder);
        calls.add(new Call(Request.Method.POST, "/api/v1/credit-decisions", placed));
        String hold = placed.json().at("/hold/id").asText();
        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/credit-lines/CONTRACT-1",
                http.get("/api/v1/credit-lines/CONTRACT-1", "demo-checkout")));
        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/credit-lines/NOBODY",
                http.get("/api/v1/credit-lines/NOBODY", "demo-checkout")));
        String capture = "/api/v1/credit-lines/CONTRACT-1/holds/" + hold + "/capture";
        calls.add(
                new Call(Request.Method.POST, capture, http.postJson(capture, "demo-checkout", "{\"amount\": 1000}")));
        calls.add(new Call(Request.Method.POST, capture, http.postJson(capture, "demo-checkout", "")));
        String unknown = "/api/v1/credit-lines/CONTRACT-1/holds/" + java.util.UUID.randomUUID() + "/release";
        calls.add(new Call(Request.Method.POST, unknown, http.postJson(unknown, "demo-checkout", "")));
        calls.add(new Call(
                Request.Method.GET,
                "/api/v1/audit/ledger/verify",
                http.get("/api/v1/audit/ledger/verify", "demo-auditor")));

        List<String> violations = new ArrayList<>();
        for (Call call : calls) {
            SimpleResponse.Builder response =
                    SimpleResponse.Builder.status(call.response().status());
            String contentType = call.response().header("Content-Type");
            if (contentType != null) {
                response.withContentType(contentType);
            }
            if (call.response().body() != null && !call.response().body().isEmpty()) {
                response.withBody(call.response().body());
            }
            ValidationReport report = validator.validateResponse(call.path(), call.method(), response.build());
            if (report.hasErrors()) {
                violations.add(call.method() + " " + call.path() + " "
                        + call.response().status() + ": " + report.getMessages());
            }
        }
        assertThat(violations).isEmpty();
        assertThat(calls)
                .extracting(c -> c.response().status())
                .contains(200, 201, 202, 400, 401, 403, 404, 409, 415, 422);
    }
}

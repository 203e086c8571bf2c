package io.termsgate.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import io.termsgate.support.ServiceTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Calls every endpoint with a key of every role and with none, and checks every answer against the table of who
 * may do what in docs/security.md: the document and the service cannot drift apart.
 */
@ServiceTest
@DirtiesContext
class RoleMatrixTest {

    static final List<String> ROLES = List.of(
            "CHECKOUT",
            "ANALYST",
            "RULE_AUTHOR",
            "APPROVER",
            "AUDITOR",
            "OPERATOR",
            "ERP_SYNC",
            "CREDIT_ANALYST",
            "CREDIT_MANAGER",
            "CFO",
            "BUYER",
            "PRIVACY_OFFICER",
            "DECISION_CLIENT",
            "BATCH");

    /** The demo key of each role: its name in lower case, but a few have plainer names (demo-erp, demo-privacy). */
    static String demoKey(String role) {
        return switch (role) {
            case "ERP_SYNC" -> "demo-erp";
            case "PRIVACY_OFFICER" -> "demo-privacy";
            case "DECISION_CLIENT" -> "demo-client";
            default -> "demo-" + role.toLowerCase(Locale.ROOT).replace('_', '-');
        };
    }

    @LocalServerPort
    int port;

    record Row(String method, String path, List<String> cells) {}

    @Test
    void everyEndpointAnswersEveryRoleAsDocsSecurityMdSays() throws IOException {
        Http http = new Http(port);
        String decision = http.postJson(
                        "/api/v1/credit-decisions",
                        "demo-checkout",
                        PolicyExamples.byCustomerId("EX-01").request().toString())
                .json()
                .get("decisionId")
                .asText();
        String version = http.get("/api/v1/rulesets/active", "demo-analyst")
                .json()
                .get("version")
                .asText();
        String backtest = http.send("POST", "/api/v1/rulesets/" + version + "/backtests", "demo-analyst")
                .json()
                .get("id")
                .asText();
        String receivablesImport = http.post(
                        "/api/v1/receivables",
                        "demo-erp",
                        "text/csv",
                        "customerId,asOf,outstandingBalance\nEX-01,2026-11-01T00:00:00Z,50000\n")
                .json()
                .get("id")
                .asText();

        List<Row> table = table();
        assertThat(table).hasSizeGreaterThan(15);
        assertThat(header()).as("the table's role columns, in order").isEqualTo(ROLES);
        List<String> wrong = new ArrayList<>();
        for (Row row : table) {
            String path = row.path()
                    .replace("{decision}", decision)
                    .replace("{version}", version)
                    .replace("{backtest}", backtest)
                    .replace("{import}", receivablesImport)
                    .replace("{customer}", "EX-01");
            for (int i = 0; i <= ROLES.size(); i++) {
                String key = i < ROLES.size() ? demoKey(ROLES.get(i)) : null;
                String expected = row.cells().get(i);
                int status = call(http, row.method(), path, key);
                boolean ok = switch (expected) {
                    case "yes", "open" -> status != 401 && status != 403;
                    case "-" -> status == 403;
                    case "401" -> status == 401;
                    default -> throw new IllegalStateException("unknown cell " + expected);
                };
                if (!ok) {
                    wrong.add(row.method() + " " + row.path() + " as " + (key == null ? "no key" : key) + ": expected "
                            + expected + ", got " + status);
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(call(http, "GET", "/api/v1/no-such-thing", "demo-auditor")).isEqualTo(404);
        assertThat(call(http, "GET", "/api/v1/no-such-thing", null)).isEqualTo(401);
        // a buyer gets what its rows grant and nothing else, not even the answer that a path does not exist
        assertThat(call(http, "GET", "/api/v1/no-such-thing", "demo-buyer")).isEqualTo(403);
    }

    private static int call(Http http, String method, String path, String key) {
        return switch (method) {
            case "GET" -> http.get(path, key).status();
            case "DELETE" -> http.send("DELETE", path, key).status();
            case "POST" ->
                path.equals("/api/v1/rulesets")
                        ? http.postMultipart(
                                        path,
                                        key,
                                        Map.of("base", "sha256:" + "0".repeat(64)),
                                        new Http.Part(
                                                "file", "rules/x.drl", "package x;".getBytes(StandardCharsets.UTF_8)))
                                .status()
                        : http.postJson(
                                        path,
                                        key,
                                        path.equals("/api/v1/credit-decisions")
                                                ? PolicyExamples.byCustomerId("EX-01")
                                                        .request()
                                                        .toString()
                                                : "{}")
                                .status();
            default -> throw new IllegalStateException(method);
        };
    }

    /** The role columns of that table's header, between path and "no key". */
    static List<String> header() throws IOException {
        for (String line : Files.readAllLines(Path.of("docs/security.md"))) {
            if (line.startsWith("| method | path |")) {
                String[] cells = line.substring(1, line.length() - 1).split("\\|");
                List<String> roles = new ArrayList<>();
                for (int i = 2; i < cells.length - 1; i++) {
                    roles.add(cells[i].strip());
                }
                return roles;
            }
        }
        throw new IllegalStateException("no table of who may call what in docs/security.md");
    }

    /** The table under "Who may call what" in docs/security.md. */
    static List<Row> table() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("docs/security.md"))) {
            // DELETE rows too, but not the erasure's: erasing EX-01 here would change what the rows after it see
            boolean delete = line.startsWith("| DELETE ") && !line.contains("/personal-data");
            if (!line.startsWith("| GET ") && !line.startsWith("| POST ") && !delete) {
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("\\|");
            List<String> values = new ArrayList<>();
            for (int i = 2; i < cells.length; i++) {
                values.add(cells[i].strip());
            }
            rows.add(new Row(cells[0].strip(), cells[1].strip(), values));
        }
        return rows;
    }
}

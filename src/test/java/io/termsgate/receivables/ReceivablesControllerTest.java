package io.termsgate.receivables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.termsgate.support.ControllerSliceTest;
import io.termsgate.support.DatabaseCable;
import io.termsgate.support.PolicyExamples;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The ERP's receivables door, its HTTP contract only: 201 and Location for a new file, 200 for the same file again,
 * 422 naming the bad rows, 415 and 413 for what is not read at all, the queries and their problems, and who may send
 * or read. The import and the database behind it are real; what each kind of bad row says is
 * {@code ReceivablesScenarios}'s concern.
 */
@ControllerSliceTest(ReceivablesController.class)
@Import(ReceivablesSlice.class)
@TestPropertySource(properties = {"termsgate.http.max-receivables-body=4KB", "termsgate.receivables.max-rows=20"})
class ReceivablesControllerTest {

    static final String RECEIVABLES = "/api/v1/receivables";
    static final String ERP = "demo-erp";
    static final String AUDITOR = "demo-auditor";
    static final String HEADER = "customerId,asOf,outstandingBalance,invoicesPaid,avgDaysBeyondTerms,maxDaysPastDue\n";

    @Autowired
    MockMvc mvc;

    @Autowired
    DatabaseCable database;

    /** Each test's own buyer, so tests share one database without seeing each other. */
    String buyer;

    @BeforeEach
    void aBuyerOfItsOwn() {
        buyer = "RC-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static MockHttpServletRequestBuilder as(String key, MockHttpServletRequestBuilder request) {
        return key == null ? request : request.header("X-API-Key", key);
    }

    static MockHttpServletRequestBuilder send(String key, String contentType, String body) {
        return as(key, post(RECEIVABLES).contentType(contentType).content(body.getBytes(StandardCharsets.UTF_8)));
    }

    static MockHttpServletRequestBuilder csv(String body) {
        return send(ERP, "text/csv", body);
    }

    MockHttpServletRequestBuilder snapshots() {
        return as(ERP, get(RECEIVABLES + "/customers/" + buyer));
    }

    @Test
    void aNewCsvFileIs201WithItsLocationAndSummary() throws Exception {
        MvcResult created = mvc.perform(csv(HEADER
                        + buyer + ",2026-11-01,1200.50,24,4.5,12\n"
                        + buyer + ",2026-11-15,800,25,,\n"
                        + buyer + "-2,2026-11-15,0,0,0,0\n"))
                .andExpect(status().isCreated())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.rows").value(3))
                .andExpect(jsonPath("$.customers").value(2))
                .andExpect(jsonPath("$.sha256").value(matchesPattern("[0-9a-f]{64}")))
                .andExpect(jsonPath("$.client").value(ERP))
                .andExpect(jsonPath("$.importedAt").isString())
                .andReturn();

        String id = PolicyExamples.JSON
                .readTree(created.getResponse().getContentAsString())
                .get("id")
                .asText();
        assertThat(created.getResponse().getHeader("Location")).isEqualTo(RECEIVABLES + "/" + id);
    }

    @Test
    void aJsonLinesFileIs201UnderEitherOfItsTypes() throws Exception {
        String line = "{\"customerId\":\"" + buyer + "\",\"asOf\":\"2026-11-0%d\",\"outstandingBalance\":10.25}\n";
        mvc.perform(send(ERP, "application/x-ndjson", line.formatted(1)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.rows").value(1));
        mvc.perform(send(ERP, "application/jsonl", line.formatted(2)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.rows").value(1));
        mvc.perform(send(ERP, "application/jsonl; charset=utf-8", line.formatted(3)))
                .andExpect(status().isCreated());

        mvc.perform(snapshots()).andExpect(jsonPath("$.totalItems").value(3));
    }

    @Test
    void theSameFileAgainIs200WithTheEarlierImportAndWritesNothing() throws Exception {
        String file = HEADER + buyer + ",2026-11-01,100,1,1,1\n";
        MvcResult first = mvc.perform(csv(file)).andExpect(status().isCreated()).andReturn();

        MvcResult again = mvc.perform(csv(file))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andReturn();

        assertThat(again.getResponse().getContentAsString())
                .isEqualTo(first.getResponse().getContentAsString());
        assertThat(again.getResponse().getHeader("Location"))
                .isEqualTo(first.getResponse().getHeader("Location"));
        mvc.perform(snapshots()).andExpect(jsonPath("$.totalItems").value(1));
    }

    @Test
    void aFileWithBadRowsIs422NamingEachAndImportsNothing() throws Exception {
        mvc.perform(csv(HEADER
                        + buyer + ",2026-11-01,100,1,1,1\n"
                        + buyer + ",2026-11-02,-5,1,1,1\n"
                        + buyer + ",2026-11-03,100,1.5,1,1\n"
                        + ",2026-11-04,,1,1,1\n"))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/receivables-rejected"))
                .andExpect(jsonPath("$.title").value("Receivables file rejected"))
                .andExpect(jsonPath("$.detail").value("3 of 4 rows are bad (4 problems); nothing was imported"))
                .andExpect(jsonPath("$.rows").value(4))
                .andExpect(jsonPath("$.badRows").value(3))
                .andExpect(jsonPath("$.errorCount").value(4))
                .andExpect(jsonPath("$.errors.length()").value(4))
                .andExpect(jsonPath("$.errors[0].line").value(3))
                .andExpect(jsonPath("$.errors[0].field").value("outstandingBalance"))
                .andExpect(jsonPath("$.errors[1].line").value(4))
                .andExpect(jsonPath("$.errors[1].field").value("invoicesPaid"))
                .andExpect(jsonPath("$.errors[2].line").value(5))
                .andExpect(jsonPath("$.errors[*].field")
                        .value(containsInAnyOrder(
                                "outstandingBalance", "invoicesPaid", "customerId", "outstandingBalance")));

        mvc.perform(snapshots()).andExpect(jsonPath("$.totalItems").value(0));
    }

    @Test
    void anEmptyFileIs422() throws Exception {
        mvc.perform(csv(HEADER))
                .andExpect(status().isUnprocessableEntity())
                .andExpect(jsonPath("$.type").value("/problems/receivables-rejected"))
                .andExpect(jsonPath("$.detail").value("The file holds no rows; nothing was imported"));
    }

    @Test
    void anythingButCsvOrJsonLinesInUtf8Is415() throws Exception {
        String file = HEADER + buyer + ",2026-11-01,1,,,\n";
        for (String type : new String[] {"application/json", "text/plain", "application/octet-stream"}) {
            mvc.perform(send(ERP, type, file))
                    .andExpect(status().isUnsupportedMediaType())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/unsupported-media-type"));
        }
        mvc.perform(send(ERP, "text/csv; charset=ISO-8859-1", file))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.type").value("/problems/unsupported-media-type"))
                .andExpect(jsonPath("$.detail").value(containsString("must be UTF-8")));

        mvc.perform(snapshots()).andExpect(jsonPath("$.totalItems").value(0));
    }

    @Test
    void aFileOverTheByteCapOrTheRowCapIs413AndImportsNothing() throws Exception {
        StringBuilder big = new StringBuilder(HEADER);
        while (big.length() <= 4 * 1024) {
            big.append(buyer).append(",2026-11-01,1,1,1,1\n");
        }
        mvc.perform(csv(big.toString()))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/payload-too-large"))
                .andExpect(jsonPath("$.detail").value(containsString("at most 4096")));

        StringBuilder tooLong = new StringBuilder(HEADER);
        for (int i = 0; i < 21; i++) {
            tooLong.append(buyer)
                    .append(",2026-11-")
                    .append(String.format("%02d", i + 1))
                    .append(",1,,,\n");
        }
        mvc.perform(csv(tooLong.toString()))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(jsonPath("$.type").value("/problems/payload-too-large"))
                .andExpect(jsonPath("$.title").value("Too many rows"))
                .andExpect(jsonPath("$.detail").value(containsString("more than 20 rows")));

        mvc.perform(snapshots()).andExpect(jsonPath("$.totalItems").value(0));
    }

    @Test
    void anImportsSummaryIsReadByItsIdAndAnUnknownIdIs404() throws Exception {
        MvcResult created = mvc.perform(csv(HEADER + buyer + ",2026-11-01,100,,,\n"))
                .andExpect(status().isCreated())
                .andReturn();
        String location = created.getResponse().getHeader("Location");

        for (String key : new String[] {ERP, AUDITOR}) {
            mvc.perform(as(key, get(location)))
                    .andExpect(status().isOk())
                    .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                    .andExpect(content().json(created.getResponse().getContentAsString(), true));
        }
        UUID unknown = UUID.randomUUID();
        mvc.perform(as(AUDITOR, get(RECEIVABLES + "/" + unknown)))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/not-found"))
                .andExpect(jsonPath("$.detail").value(containsString(unknown.toString())));
    }

    @Test
    void anImportIdThatIsNotAUuidIs400NamingIt() throws Exception {
        for (String bad : new String[] {"not-a-uuid", "1-1-1-1-1"}) {
            mvc.perform(as(AUDITOR, get(RECEIVABLES + "/" + bad)))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.title").value("Invalid import id"))
                    .andExpect(jsonPath("$.errors[0].field").value("importId"));
        }
    }

    @Test
    void aBuyersSnapshotsArePagedLatestAsOfFirst() throws Exception {
        mvc.perform(csv(HEADER + buyer + ",2026-11-01,100,3,2.5,7\n" + buyer + ",2026-11-10,250.10,,,\n"))
                .andExpect(status().isCreated());

        mvc.perform(as(AUDITOR, get(RECEIVABLES + "/customers/" + buyer).param("size", "1")))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.customerId").value(buyer))
                .andExpect(jsonPath("$.totalItems").value(2))
                .andExpect(jsonPath("$.totalPages").value(2))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(1))
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].asOf").value("2026-11-10T00:00:00Z"))
                .andExpect(jsonPath("$.items[0].outstandingBalance").value(250.10))
                .andExpect(jsonPath("$.items[0].invoicesPaid").isEmpty())
                .andExpect(jsonPath("$.items[0].importId").isString());
        mvc.perform(as(
                        AUDITOR,
                        get(RECEIVABLES + "/customers/" + buyer)
                                .param("size", "1")
                                .param("page", "1")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].invoicesPaid").value(3))
                .andExpect(jsonPath("$.items[0].avgDaysBeyondTerms").value(2.5))
                .andExpect(jsonPath("$.items[0].maxDaysPastDue").value(7));
    }

    @Test
    void everyBadSnapshotQueryParameterIsNamedInOne400Problem() throws Exception {
        mvc.perform(as(
                        AUDITOR,
                        get(RECEIVABLES + "/customers/{id}", "a b")
                                .param("page", "-1")
                                .param("size", "201")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/invalid-request"))
                .andExpect(jsonPath("$.title").value("Invalid query"))
                .andExpect(jsonPath("$.detail").value("3 fields are invalid"))
                .andExpect(jsonPath("$.errors[*].field").value(containsInAnyOrder("customerId", "page", "size")));
        for (String[] bad : new String[][] {{"size", "0"}, {"size", "ten"}, {"page", "x"}}) {
            mvc.perform(snapshots().param(bad[0], bad[1]))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field").value(bad[0]));
        }
    }

    @Test
    void onlyTheErpSendsFilesAndOnlyTheErpAndAuditorsReadThem() throws Exception {
        String file = HEADER + buyer + ",2026-11-01,1,,,\n";
        for (String key :
                new String[] {AUDITOR, "demo-checkout", "demo-analyst", "demo-approver", "demo-operator", "demo-buyer"
                }) {
            mvc.perform(send(key, "text/csv", file))
                    .andExpect(status().isForbidden())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/forbidden"));
        }
        for (String key :
                new String[] {"demo-checkout", "demo-analyst", "demo-approver", "demo-operator", "demo-buyer"}) {
            mvc.perform(as(key, get(RECEIVABLES + "/customers/" + buyer))).andExpect(status().isForbidden());
            mvc.perform(as(key, get(RECEIVABLES + "/" + UUID.randomUUID()))).andExpect(status().isForbidden());
        }
        mvc.perform(as(AUDITOR, get(RECEIVABLES + "/customers/" + buyer)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalItems").value(0));
    }

    @Test
    void withoutAKeyEveryEndpointIs401() throws Exception {
        for (MockHttpServletRequestBuilder request : new MockHttpServletRequestBuilder[] {
            send(null, "text/csv", HEADER + buyer + ",2026-11-01,1,,,\n"),
            get(RECEIVABLES + "/" + UUID.randomUUID()),
            get(RECEIVABLES + "/customers/" + buyer)
        }) {
            mvc.perform(request)
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.type").value("/problems/unauthenticated"));
        }
    }

    @Test
    void whileTheDatabaseIsUnreachableAnImportAndAQueryAre503WithRetryAfter() throws Exception {
        String file = HEADER + buyer + ",2026-11-01,1,,,\n";
        database.cut();
        try {
            for (MockHttpServletRequestBuilder request : new MockHttpServletRequestBuilder[] {
                csv(file), snapshots(), as(ERP, get(RECEIVABLES + "/" + UUID.randomUUID()))
            }) {
                mvc.perform(request)
                        .andExpect(status().isServiceUnavailable())
                        .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                        .andExpect(header().string("Retry-After", "1"))
                        .andExpect(jsonPath("$.type").value("/problems/service-unavailable"));
            }
        } finally {
            database.restore();
        }

        mvc.perform(csv(file)).andExpect(status().isCreated());
    }
}

package io.termsgate.backtest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.termsgate.engine.RulesetSource;
import io.termsgate.security.People;
import io.termsgate.security.Role;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.ProblemTypes;
import io.termsgate.web.QueryParameters;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Start a backtest of a candidate, follow its progress, read its report as JSON or CSV. */
@RestController
class BacktestController {

    static final String BACKTESTS = "/api/v1/rulesets/{version}/backtests";
    static final int MAX_PAGE_SIZE = 1_000;

    private final BacktestRunner backtests;

    BacktestController(BacktestRunner backtests) {
        this.backtests = backtests;
    }

    @Operation(summary = "Replay the logged decisions of [from, to) under a version, in the background (role ANALYST)")
    @ApiResponse(
            responseCode = "202",
            description = "Started; follow the Location header for progress and the report",
            content = @Content(schema = @Schema(implementation = BacktestRunner.Backtest.class)))
    @PostMapping(path = BACKTESTS, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<BacktestRunner.Backtest> start(
            @PathVariable String version,
            @RequestParam Optional<String> from,
            @RequestParam Optional<String> to,
            Authentication who) {
        List<FieldError> errors = new ArrayList<>();
        if (!RulesetSource.isVersion(version)) {
            errors.add(new FieldError("version", "must be sha256: and 64 hex digits"));
        }
        Instant start = QueryParameters.instant("from", from, errors);
        Instant end = QueryParameters.instant("to", to, errors);
        QueryParameters.checkWindow(start, end, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid backtest", errors);
        }
        BacktestRunner.Backtest backtest = backtests
                .start(version, start, end, People.personOf(who)) // the person, as every action records
                .orElseThrow(() -> notFound("No stored ruleset version " + version));
        return ResponseEntity.accepted()
                .location(URI.create(location(version, backtest.id())))
                .body(backtest);
    }

    /** A backtest, its report when it is done, and where to download the report. */
    record Status(BacktestRunner.Backtest backtest, BacktestReport report, Map<String, String> downloads) {}

    @Operation(summary = "A backtest's progress, and its report once done (roles ANALYST, APPROVER, AUDITOR)")
    @GetMapping(path = BACKTESTS + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    Status status(@PathVariable String version, @PathVariable String id, Authentication who) {
        BacktestRunner.Backtest backtest = find(version, id);
        return new Status(
                backtest,
                backtest.status().equals("DONE")
                        ? backtests
                                .report(backtest.id())
                                .map(r -> r.forReader(auditor(who)))
                                .orElse(null)
                        : null,
                Map.of(
                        "json",
                        location(version, backtest.id()) + "/report.json",
                        "csv",
                        location(version, backtest.id()) + "/report.csv",
                        "changed",
                        location(version, backtest.id()) + "/changed"));
    }

    @Operation(summary = "The report as a JSON download")
    @GetMapping(path = BACKTESTS + "/{id}/report.json", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<BacktestReport> reportJson(
            @PathVariable String version, @PathVariable String id, Authentication who) {
        BacktestReport report = done(version, id).forReader(auditor(who));
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"backtest-" + report.id() + ".json\"")
                .body(report);
    }

    @Operation(summary = "Every changed decision as CSV, streamed from the database (roles ANALYST, APPROVER, AUDITOR)")
    @ApiResponse(
            responseCode = "200",
            description = "RFC 4180 CSV, UTF-8",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    @GetMapping(path = BACKTESTS + "/{id}/report.csv", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> reportCsv(
            @PathVariable String version, @PathVariable String id, Authentication who) {
        BacktestReport report = done(version, id);
        boolean auditor = auditor(who);
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            writer.write(BacktestCsv.header());
            try {
                backtests.forEachChanged(report.id(), report, d -> {
                    try {
                        writer.write(BacktestCsv.row(d, auditor));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause(); // the client went away
            }
            writer.flush();
        };
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"backtest-" + report.id() + ".csv\"")
                .body(body);
    }

    /** A page of the changed decisions. */
    record ChangedPage(
            UUID backtest, long changed, int page, int size, List<BacktestReport.ChangedDecision> changedDecisions) {}

    @Operation(
            summary =
                    "Every changed decision of a finished backtest, a page at a time by seq; customer ids for auditors "
                            + "only (roles ANALYST, APPROVER, AUDITOR)")
    @GetMapping(path = BACKTESTS + "/{id}/changed", produces = MediaType.APPLICATION_JSON_VALUE)
    ChangedPage changed(
            @PathVariable String version,
            @PathVariable String id,
            @RequestParam Optional<String> page,
            @RequestParam Optional<String> size,
            Authentication who) {
        List<FieldError> errors = new ArrayList<>();
        int pageNumber = QueryParameters.integer("page", page, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE, errors);
        int pageSize = QueryParameters.integer("size", size, 100, 1, MAX_PAGE_SIZE, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid page", errors);
        }
        BacktestReport report = done(version, id);
        boolean auditor = auditor(who);
        List<BacktestReport.ChangedDecision> rows = backtests.changed(report.id(), pageNumber, pageSize);
        if (rows.isEmpty() && pageNumber == 0 && report.changed() > 0) {
            rows = report.changedDecisions().stream().limit(pageSize).toList(); // a report from before V15
        }
        return new ChangedPage(
                report.id(),
                report.changed(),
                pageNumber,
                pageSize,
                rows.stream().map(d -> auditor ? d : withoutCustomer(d)).toList());
    }

    private static BacktestReport.ChangedDecision withoutCustomer(BacktestReport.ChangedDecision d) {
        return new BacktestReport.ChangedDecision(
                d.decisionId(),
                d.seq(),
                null,
                d.decidedAt(),
                d.originalRulesetVersion(),
                d.original(),
                d.replayed(),
                d.changedFields());
    }

    /** Customer ids in a report are personal data: only auditors read them; others see decision ids. */
    private static boolean auditor(Authentication who) {
        return who != null
                && who.getAuthorities().stream()
                        .anyMatch(a -> Role.AUDITOR.authority().equals(a.getAuthority()));
    }

    private BacktestReport done(String version, String id) {
        BacktestRunner.Backtest backtest = find(version, id);
        if (!backtest.status().equals("DONE")) {
            throw new ApiProblemException(
                    HttpStatus.CONFLICT,
                    ProblemTypes.CONFLICT,
                    "Not finished",
                    "Backtest " + id + " is " + backtest.status() + " (" + backtest.done() + " of " + backtest.total()
                            + "); its report is ready when it is DONE");
        }
        return backtests.report(backtest.id()).orElseThrow();
    }

    private BacktestRunner.Backtest find(String version, String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("Invalid backtest id", "id", "must be a UUID");
        }
        return backtests
                .find(uuid)
                .filter(b -> b.rulesetVersion().equals(version))
                .orElseThrow(() -> notFound("No backtest " + id + " of " + version));
    }

    private static String location(String version, UUID id) {
        return "/api/v1/rulesets/" + version + "/backtests/" + id;
    }

    private static ApiProblemException notFound(String detail) {
        return new ApiProblemException(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", detail);
    }
}

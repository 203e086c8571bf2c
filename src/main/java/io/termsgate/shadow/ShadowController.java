package io.termsgate.shadow;

import com.fasterxml.jackson.databind.JsonNode;
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
import io.termsgate.web.JsonBodies;
import io.termsgate.web.ProblemTypes;
import io.termsgate.web.QueryParameters;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/** Start a challenger in the shadow of live decisions, read its report and its changed decisions, stop it. */
@RestController
class ShadowController {

    static final String SHADOW = "/api/v1/rulesets/{version}/shadow";
    static final int MAX_LIMIT = 1000;

    private final ShadowRuns runs;
    private final JsonBodies bodies;

    ShadowController(ShadowRuns runs, JsonBodies bodies) {
        this.runs = runs;
        this.bodies = bodies;
    }

    @Operation(
            summary = "Start a candidate as the challenger of live decisions (roles ANALYST, RULE_AUTHOR)",
            description = "Body {\"sampleRate\": 0 to 1} (default 1). Each sampled live decision is evaluated under"
                    + " the challenger after checkout has its answer; the challenger's answer is only stored. One"
                    + " challenger at a time; a stopped one started again continues its report.")
    @ApiResponse(
            responseCode = "201",
            description = "Started; the Location is its report",
            content = @Content(schema = @Schema(implementation = ShadowReport.class)))
    @PostMapping(path = SHADOW, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<ShadowReport> start(
            @PathVariable String version, @RequestBody(required = false) byte[] body, Authentication who) {
        List<FieldError> errors = new ArrayList<>();
        checkVersion(version, errors);
        BigDecimal sampleRate = sampleRate(body, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid shadow evaluation", errors);
        }
        ShadowReport report = runs.start(version, sampleRate, People.personOf(who));
        return ResponseEntity.created(URI.create(location(version))).body(report);
    }

    @Operation(summary = "The challenger's report (roles ANALYST, RULE_AUTHOR, APPROVER, AUDITOR)")
    @GetMapping(path = SHADOW, produces = MediaType.APPLICATION_JSON_VALUE)
    ShadowReport report(@PathVariable String version) {
        checkVersion(version);
        return runs.report(version).orElseThrow(() -> neverRan(version));
    }

    @Operation(summary = "Stop the challenger; its report stays (roles ANALYST, RULE_AUTHOR)")
    @DeleteMapping(path = SHADOW, produces = MediaType.APPLICATION_JSON_VALUE)
    ShadowReport stop(@PathVariable String version, Authentication who) {
        checkVersion(version);
        return runs.stop(version, People.personOf(who));
    }

    /** A page of changed decisions: pass {@code next} as {@code after} for the following one. */
    record ChangesPage(List<ShadowChange> items, int limit, String next) {}

    @Operation(
            summary = "The live decisions the challenger would have answered differently, in log order"
                    + " (customer ids for AUDITOR only)",
            description = "Page with limit (1 to 1000, default 100) and after=next. With Accept: text/csv, every"
                    + " changed decision after `after` as CSV.")
    @GetMapping(path = SHADOW + "/changes", produces = MediaType.APPLICATION_JSON_VALUE)
    ChangesPage changes(
            @PathVariable String version,
            @RequestParam Optional<String> limit,
            @RequestParam Optional<String> after,
            Authentication who) {
        List<FieldError> errors = new ArrayList<>();
        checkVersion(version, errors);
        int size = QueryParameters.integer("limit", limit, 100, 1, MAX_LIMIT, errors);
        long afterSeq = after(after, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid shadow changes page", errors);
        }
        runs.report(version).orElseThrow(() -> neverRan(version));
        List<ShadowChange> items = runs.changes(version, afterSeq, size + 1, auditor(who));
        String next = null;
        if (items.size() > size) {
            items = items.subList(0, size);
            next = Long.toString(items.get(size - 1).seq());
        }
        return new ChangesPage(List.copyOf(items), size, next);
    }

    @ApiResponse(
            responseCode = "200",
            description = "RFC 4180 CSV, UTF-8",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    @GetMapping(path = SHADOW + "/changes", produces = "text/csv")
    ResponseEntity<StreamingResponseBody> changesCsv(
            @PathVariable String version, @RequestParam Optional<String> after, Authentication who) {
        List<FieldError> errors = new ArrayList<>();
        checkVersion(version, errors);
        long afterSeq = after(after, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid shadow changes page", errors);
        }
        runs.report(version).orElseThrow(() -> neverRan(version));
        boolean auditor = auditor(who);
        StreamingResponseBody csv = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write(ShadowCsv.HEADER);
            long from = afterSeq;
            while (true) {
                List<ShadowChange> page = runs.changes(version, from, MAX_LIMIT, auditor);
                for (ShadowChange change : page) {
                    writer.write(ShadowCsv.row(change));
                }
                if (page.size() < MAX_LIMIT) {
                    break;
                }
                from = page.get(page.size() - 1).seq();
            }
            writer.flush();
        };
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"shadow-" + version.replace(':', '-') + ".csv\"")
                .body(csv);
    }

    /** {@code {"sampleRate": n}} with n from 0 to 1, at most 4 decimal places; an empty body is a sample rate of 1. */
    private BigDecimal sampleRate(byte[] body, List<FieldError> errors) {
        if (body == null || body.length == 0) {
            return BigDecimal.ONE;
        }
        JsonNode json = bodies.parse(body);
        if (!json.isObject()) {
            errors.add(new FieldError("$", "must be a JSON object: {\"sampleRate\": 0 to 1}"));
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext(); ) {
            String name = fields.next().getKey();
            if (!name.equals("sampleRate")) {
                errors.add(new FieldError(name, "is not a field of this request; allowed: sampleRate"));
            }
        }
        JsonNode rate = json.get("sampleRate");
        if (rate == null) {
            return BigDecimal.ONE;
        }
        String wrong = "must be a number from 0 to 1 with at most 4 decimal places";
        if (!rate.isNumber() || JsonBodies.isUnreadableNumber(rate)) {
            errors.add(new FieldError("sampleRate", wrong));
            return null;
        }
        BigDecimal value = rate.decimalValue().stripTrailingZeros();
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0 || Math.max(0, value.scale()) > 4) {
            errors.add(new FieldError("sampleRate", wrong));
            return null;
        }
        return value.setScale(Math.max(0, value.scale()));
    }

    private static long after(Optional<String> after, List<FieldError> errors) {
        if (after.isEmpty()) {
            return 0;
        }
        try {
            long seq = Long.parseLong(after.get());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError("after", "must be a next cursor given by this endpoint"));
        return 0;
    }

    private static void checkVersion(String version) {
        List<FieldError> errors = new ArrayList<>();
        checkVersion(version, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("Invalid shadow evaluation", errors);
        }
    }

    private static void checkVersion(String version, List<FieldError> errors) {
        if (!RulesetSource.isVersion(version)) {
            errors.add(new FieldError("version", "must be sha256: and 64 hex digits"));
        }
    }

    /** Customer ids are personal data: only auditors read them; others see decision ids. */
    private static boolean auditor(Authentication who) {
        return who != null
                && who.getAuthorities().stream()
                        .anyMatch(a -> Role.AUDITOR.authority().equals(a.getAuthority()));
    }

    private static ApiProblemException neverRan(String version) {
        return new ApiProblemException(
                HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", version + " has never run as a challenger");
    }

    private static String location(String version) {
        return "/api/v1/rulesets/" + version + "/shadow";
    }
}

package io.termsgate.ruleset;

import com.fasterxml.jackson.core.type.TypeReference;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.SpreadsheetRules;
import io.termsgate.ruleset.diff.RulesetDiff;
import io.termsgate.security.People;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.ProblemTypes;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

/**
 * The analysts' API: upload a candidate ruleset (a whole bundle, or changed files on top of a base version), list
 * versions, download any file, approve (four eyes) and activate (or roll back).
 */
@RestController
class RulesetController {

    static final String RULESETS = "/api/v1/rulesets";

    private final RulesetLifecycle lifecycle;
    private final RulesetUploads uploads;
    private final RulesetStore store;
    private final ActiveRuleset active;
    private final SpreadsheetRules spreadsheetRules;

    RulesetController(
            RulesetLifecycle lifecycle,
            RulesetUploads uploads,
            RulesetStore store,
            ActiveRuleset active,
            SpreadsheetRules spreadsheetRules) {
        this.lifecycle = lifecycle;
        this.uploads = uploads;
        this.store = store;
        this.active = active;
        this.spreadsheetRules = spreadsheetRules;
    }

    /** A version as the lists show it: where it stands and who moved it there, when. */
    record VersionView(
            String version,
            StoredVersion.Status status,
            boolean live,
            String uploadedBy,
            Instant uploadedAt,
            String origin,
            String baseVersion,
            String approvedBy,
            Instant approvedAt,
            String activatedBy,
            Instant activatedAt,
            Boolean scenariosPassed,
            int fileCount) {

        static VersionView of(StoredVersion v, String liveVersion) {
            return new VersionView(
                    v.version(),
                    v.status(),
                    v.version().equals(liveVersion),
                    v.storedBy(),
                    v.storedAt(),
                    v.origin(),
                    v.baseVersion(),
                    v.approvedBy(),
                    v.approvedAt(),
                    v.activatedBy(),
                    v.activatedAt(),
                    v.scenariosPassed(),
                    v.fileCount());
        }
    }

    record FileView(String path, int size, String sha256, String download) {}

    /**
     * A stored version as a resource: what {@code GET /api/v1/rulesets/{version}} answers and what an upload answers
     * with the version it created ({@code created} says whether it was new). Its id, {@code version}, is at the top.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record VersionResource(
            String version,
            StoredVersion.Status status,
            boolean live,
            String uploadedBy,
            Instant uploadedAt,
            String origin,
            String baseVersion,
            String approvedBy,
            Instant approvedAt,
            String activatedBy,
            Instant activatedAt,
            Boolean scenariosPassed,
            int fileCount,
            Boolean created,
            List<FileView> files,
            List<RulesetProblem> warnings,
            ScenarioRunner.Report scenarios,
            List<HistoryEntry> history) {}

    /** The multipart form of an upload of changed files, for the API description. */
    record ChangedFilesForm(
            @Schema(description = "the version the files change")
            String base,

            @Schema(description = "one part per changed file; its filename is its path " + "in the ruleset")
            List<byte[]> file,

            @Schema(description = "paths of files to remove")
            List<String> delete) {}

    record ActiveView(String version, String activatedBy, Instant activatedAt) {}

    @Operation(
            summary = "Upload a candidate ruleset (role ANALYST for tables, RULE_AUTHOR for DRL rules)",
            description = "A whole bundle (application/zip of "
                    + "rules/ and decision-tables/) or changed files on top of a base version (multipart/form-data: base, one "
                    + "'file' part per changed file named by its path, optional 'delete' fields). Validated and scenario-tested; "
                    + "stored, not live. 201 when new, 200 when that exact version was stored before. 403 naming every file "
                    + "the upload adds, removes or changes (relative to the base version, or the live version for a bundle) that "
                    + "the caller's roles may not change: ANALYST changes decision tables, DMN models and scenarios; "
                    + "RULE_AUTHOR changes rules/*.drl and scenarios.",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = {
                                @Content(
                                        mediaType = "application/zip",
                                        schema = @Schema(type = "string", format = "binary")),
                                @Content(
                                        mediaType = "multipart/form-data",
                                        schema = @Schema(implementation = ChangedFilesForm.class))
                            }))
    @ApiResponse(
            responseCode = "201",
            description = "Stored as a candidate",
            content = @Content(schema = @Schema(implementation = VersionResource.class)))
    @ApiResponse(
            responseCode = "422",
            description = "Rejected: every problem with its file and place",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(ref = "#/components/schemas/Problem")))
    @PostMapping(path = RULESETS, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<VersionResource> upload(HttpServletRequest request, Authentication who) throws IOException {
        MediaType type = contentType(request);
        RulesetLifecycle.Candidate candidate;
        try {
            // the multipart request may sit under a filter's wrapper (a test's MockMvc request does): look beneath
            MultipartHttpServletRequest form = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
            if (type.isCompatibleWith(MediaType.MULTIPART_FORM_DATA) && form != null) {
                candidate = changedFiles(form, Uploader.of(who));
            } else if (isZip(type)) {
                candidate = uploads.bundle(request::getInputStream, Uploader.of(who), "bundle upload");
            } else {
                throw new ApiProblemException(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                        "Unsupported media type",
                        "Upload a bundle as application/zip, or changed files as "
                                + "multipart/form-data with a 'base' field and 'file' parts");
            }
        } catch (RulesetLifecycle.Refused e) {
            throw refused(e);
        }
        VersionResource body = resource(candidate.version().version(), candidate.created());
        return ResponseEntity.status(candidate.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .location(URI.create(RULESETS + "/" + candidate.version().version()))
                .body(body);
    }

    @Operation(summary = "Every stored version with its status, who and when (roles ANALYST, APPROVER, AUDITOR)")
    @GetMapping(path = RULESETS, produces = MediaType.APPLICATION_JSON_VALUE)
    List<VersionView> versions() {
        String live = active.current().version();
        return store.versions().stream().map(v -> VersionView.of(v, live)).toList();
    }

    @Operation(summary = "The live version (roles ANALYST, APPROVER, AUDITOR)")
    @GetMapping(path = RULESETS + "/active", produces = MediaType.APPLICATION_JSON_VALUE)
    ActiveView live() {
        String version = active.current().version();
        return store.active()
                .filter(a -> a.version().equals(version))
                .map(a -> new ActiveView(version, a.activatedBy(), a.activatedAt()))
                .orElse(new ActiveView(version, null, null));
    }

    @Operation(summary = "A version: files, warnings, scenario results, history (roles ANALYST, APPROVER, AUDITOR)")
    @GetMapping(path = RULESETS + "/{version}", produces = MediaType.APPLICATION_JSON_VALUE)
    VersionResource version(@PathVariable String version) {
        existing(version);
        return resource(version, null);
    }

    private VersionResource resource(String version, Boolean created) {
        StoredVersion v = existing(version);
        VersionView view = VersionView.of(v, active.current().version());
        RulesetSource source = store.load(version).orElseThrow();
        List<FileView> files = source.files().entrySet().stream()
                .map(f -> new FileView(
                        f.getKey(),
                        f.getValue().length,
                        RulesetStore.sha256(f.getValue()),
                        RULESETS + "/" + version + "/files/" + f.getKey()))
                .toList();
        return new VersionResource(
                view.version(),
                view.status(),
                view.live(),
                view.uploadedBy(),
                view.uploadedAt(),
                view.origin(),
                view.baseVersion(),
                view.approvedBy(),
                view.approvedAt(),
                view.activatedBy(),
                view.activatedAt(),
                view.scenariosPassed(),
                view.fileCount(),
                created,
                files,
                RulesetJson.read(v.warningsJson(), new TypeReference<List<RulesetProblem>>() {}),
                RulesetJson.read(v.scenariosJson(), new TypeReference<ScenarioRunner.Report>() {}),
                store.history(version));
    }

    @Operation(
            summary =
                    "Download a file of a version, e.g. .../files/decision-tables/risk-scorecard.xlsx (roles ANALYST, APPROVER, AUDITOR)")
    @ApiResponse(
            responseCode = "200",
            description = "The file's bytes",
            content =
                    @Content(
                            mediaType = "application/octet-stream",
                            schema = @Schema(type = "string", format = "binary")))
    @GetMapping(path = RULESETS + "/{version}/files/{*path}")
    ResponseEntity<byte[]> file(@PathVariable String version, @PathVariable("path") String filePath) {
        existing(version);
        String path = filePath.startsWith("/") ? filePath.substring(1) : filePath;
        if (RulesetPaths.kindOf(path) == null) {
            throw InvalidRequestException.of("Invalid file path", "path", "not a ruleset file path: " + path);
        }
        byte[] bytes = store.file(version, path)
                .orElseThrow(() -> new ApiProblemException(
                        HttpStatus.NOT_FOUND,
                        ProblemTypes.NOT_FOUND,
                        "Not found",
                        "Ruleset " + version + " has no file " + path));
        String name = path.substring(path.lastIndexOf('/') + 1);
        return ResponseEntity.ok()
                .contentType(mediaTypeOf(path))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename(name).build().toString())
                .body(bytes);
    }

    @Operation(summary = "Approve a candidate: four eyes, not by its uploader (role APPROVER)")
    @ApiResponse(
            responseCode = "200",
            description = "Approved",
            content = @Content(schema = @Schema(implementation = VersionView.class)))
    @ApiResponse(
            responseCode = "409",
            description = "Not a candidate, or its scenarios failed",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(ref = "#/components/schemas/Problem")))
    @PostMapping(path = RULESETS + "/{version}/approve", produces = MediaType.APPLICATION_JSON_VALUE)
    VersionView approve(@PathVariable String version, Authentication who) {
        checkVersion(version);
        try {
            return VersionView.of(
                    lifecycle.approve(version, People.personOf(who)),
                    active.current().version());
        } catch (RulesetLifecycle.Refused e) {
            throw refused(e);
        }
    }

    @Operation(
            summary =
                    "Make an approved version live on every instance; a version live before is a rollback (role APPROVER)")
    @ApiResponse(
            responseCode = "200",
            description = "Live",
            content = @Content(schema = @Schema(implementation = RulesetLifecycle.Activation.class)))
    @ApiResponse(
            responseCode = "409",
            description = "Not approved",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            schema = @Schema(ref = "#/components/schemas/Problem")))
    @PostMapping(path = RULESETS + "/{version}/activate", produces = MediaType.APPLICATION_JSON_VALUE)
    RulesetLifecycle.Activation activate(@PathVariable String version, Authentication who) {
        checkVersion(version);
        try {
            return lifecycle.activate(version, People.personOf(who));
        } catch (RulesetLifecycle.Refused e) {
            throw refused(e);
        }
    }

    @Operation(
            summary =
                    "What changed from one version to another: DRL lines; spreadsheet cells with their formulas and the rules generated from them; every DMN element and expression; whether behaviour changed at all (roles ANALYST, APPROVER, AUDITOR)")
    @GetMapping(path = RULESETS + "/{from}/diff/{to}", produces = MediaType.APPLICATION_JSON_VALUE)
    RulesetDiff.Report diff(@PathVariable String from, @PathVariable String to) {
        existing(from);
        existing(to);
        return RulesetDiff.between(
                store.load(from).orElseThrow(), store.load(to).orElseThrow(), spreadsheetRules);
    }

    private RulesetLifecycle.Candidate changedFiles(MultipartHttpServletRequest form, Uploader who) throws IOException {
        String base = form.getParameter("base");
        if (base == null || !RulesetSource.isVersion(base)) {
            throw InvalidRequestException.of(
                    "Invalid upload",
                    "base",
                    "the version the changed files apply to, sha256: and 64 hex digits, is required");
        }
        List<MultipartFile> parts = form.getFiles("file");
        String[] deletions = form.getParameterValues("delete");
        if (parts.isEmpty() && deletions == null) {
            throw InvalidRequestException.of(
                    "Invalid upload",
                    "file",
                    "at least one 'file' part (named by its path, e.g. decision-tables/credit-terms.dmn) is required");
        }
        List<RulesetUploads.UploadedFile> files = parts.stream()
                .map(p -> new RulesetUploads.UploadedFile(p.getOriginalFilename(), p::getInputStream))
                .toList();
        try {
            return uploads.changedFiles(base, files, deletions == null ? List.of() : List.of(deletions), who, "");
        } catch (RulesetLifecycle.Refused e) {
            if (e.status() == 404) {
                throw new ApiProblemException(
                        HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage());
            }
            throw e;
        }
    }

    private StoredVersion existing(String version) {
        checkVersion(version);
        return store.find(version)
                .orElseThrow(() -> new ApiProblemException(
                        HttpStatus.NOT_FOUND,
                        ProblemTypes.NOT_FOUND,
                        "Not found",
                        "No stored ruleset version " + version));
    }

    static void checkVersion(String version) {
        if (!RulesetSource.isVersion(version)) {
            throw InvalidRequestException.of("Invalid ruleset version", "version", "must be sha256: and 64 hex digits");
        }
    }

    private static ApiProblemException refused(RulesetLifecycle.Refused e) {
        return switch (e.status()) {
            case 403 ->
                e instanceof RulesetLifecycle.NotTheirs notTheirs
                        ? new ApiProblemException(
                                        HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", e.getMessage())
                                .with("problems", notTheirs.problems())
                        : new ApiProblemException(
                                HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden", e.getMessage());
            case 404 ->
                new ApiProblemException(HttpStatus.NOT_FOUND, ProblemTypes.NOT_FOUND, "Not found", e.getMessage());
            default -> new ApiProblemException(HttpStatus.CONFLICT, ProblemTypes.CONFLICT, "Conflict", e.getMessage());
        };
    }

    private static MediaType contentType(HttpServletRequest request) {
        try {
            return request.getContentType() == null
                    ? MediaType.APPLICATION_OCTET_STREAM
                    : MediaType.parseMediaType(request.getContentType());
        } catch (RuntimeException e) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
    }

    private static boolean isZip(MediaType type) {
        String subtype = type.getSubtype().toLowerCase(Locale.ROOT);
        return type.getType().equals("application") && (subtype.equals("zip") || subtype.equals("x-zip-compressed"));
    }

    private static MediaType mediaTypeOf(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".xlsx")) {
            return MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        }
        if (lower.endsWith(".xls")) {
            return MediaType.parseMediaType("application/vnd.ms-excel");
        }
        if (lower.endsWith(".dmn")) {
            return MediaType.APPLICATION_XML;
        }
        if (lower.endsWith(".csv")) {
            return MediaType.parseMediaType("text/csv;charset=UTF-8");
        }
        return MediaType.parseMediaType("text/plain;charset=UTF-8");
    }
}

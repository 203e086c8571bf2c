package io.termsgate.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.backtest.BacktestRunner;
import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.SpreadsheetRules;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.ruleset.RulesetLifecycle;
import io.termsgate.ruleset.RulesetUploads;
import io.termsgate.ruleset.ScenarioRunner;
import io.termsgate.ruleset.StoredVersion;
import io.termsgate.ruleset.Uploader;
import io.termsgate.ruleset.diff.RulesetDiff;
import io.termsgate.security.People;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The rulesets pages: every version with where it stands, the upload of a changed file or a bundle with its
 * validation problems and scenario results, and a version's own page with its diff against the live version,
 * its backtests and the approve and activate buttons. Everything is done through the same lifecycle as the API,
 * recorded under the name of the person signed in.
 */
@Controller
class RulesetPages {

    private static final Logger log = LoggerFactory.getLogger(RulesetPages.class);
    static final String RULESETS = ConsoleSecurityConfig.HOME + "/rulesets";

    private final RulesetLifecycle lifecycle;
    private final RulesetUploads uploads;
    private final ActiveRuleset active;
    private final BacktestRunner backtests;
    private final ObjectMapper json;
    private final SpreadsheetRules spreadsheetRules;

    RulesetPages(
            RulesetLifecycle lifecycle,
            RulesetUploads uploads,
            ActiveRuleset active,
            BacktestRunner backtests,
            ObjectMapper json,
            SpreadsheetRules spreadsheetRules) {
        this.spreadsheetRules = spreadsheetRules;
        this.lifecycle = lifecycle;
        this.uploads = uploads;
        this.active = active;
        this.backtests = backtests;
        this.json = json;
    }

    /** A file of a version, for the list of downloads. */
    record FileRow(String path, String kind, int size) {}

    @GetMapping(RULESETS)
    String versions(Model model) {
        listing(model);
        return "console/rulesets";
    }

    /**
     * An upload from the page: one zip bundle, or changed files on top of a base version (the live one unless
     * another is chosen). A rejection is shown on the same page, every problem with its file and place.
     */
    @PostMapping(RULESETS)
    String upload(
            @RequestParam(required = false) String base,
            @RequestParam(name = "files", required = false) List<MultipartFile> files,
            Authentication who,
            Model model,
            HttpServletResponse response,
            RedirectAttributes flash)
            throws IOException {
        List<MultipartFile> chosen = files == null
                ? List.of()
                : files.stream()
                        .filter(f -> f.getOriginalFilename() != null
                                && !f.getOriginalFilename().isBlank())
                        .toList();
        try {
            if (chosen.isEmpty()) {
                throw rejected("(no file)", "choose the changed files, or one zip bundle of the whole ruleset");
            }
            RulesetLifecycle.Candidate candidate;
            if (chosen.stream().anyMatch(RulesetPages::isZip)) {
                if (chosen.size() > 1) {
                    throw rejected("bundle", "a zip bundle is the whole ruleset: upload it alone");
                }
                candidate = uploads.bundle(
                        chosen.get(0)::getInputStream,
                        Uploader.of(who),
                        "bundle upload in the console: " + chosen.get(0).getOriginalFilename());
            } else {
                String baseVersion =
                        base == null || base.isBlank() ? active.current().version() : base.strip();
                try {
                    candidate = uploads.changedFiles(
                            baseVersion,
                            chosen.stream()
                                    .map(f ->
                                            new RulesetUploads.UploadedFile(f.getOriginalFilename(), f::getInputStream))
                                    .toList(),
                            List.of(),
                            Uploader.of(who),
                            "in the console ");
                } catch (RulesetLifecycle.Refused e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                    throw rejected("base", "no stored ruleset version " + baseVersion);
                }
            }
            ScenarioRunner.Report scenarios = candidate.scenarios();
            flash.addFlashAttribute(
                    "notice",
                    (candidate.created()
                                    ? "Uploaded as a candidate"
                                    : "This exact version " + "was stored before; nothing new was stored")
                            + ": " + scenarios.passed() + " of "
                            + scenarios.total() + " scenarios passed.");
            return "redirect:" + RULESETS + "/" + candidate.version().version();
        } catch (RulesetRejectedException | RulesetLifecycle.NotTheirs e) {
            List<RulesetProblem> problems = e instanceof RulesetLifecycle.NotTheirs notTheirs
                    ? notTheirs.problems()
                    : ((RulesetRejectedException) e).problems();
            log.info("Console upload by {} rejected: {} problem(s)", who.getName(), problems.size());
            // the same statuses as the API: 403 for files that are not the person's to change, 422 for bad files
            response.setStatus(e instanceof RulesetLifecycle.NotTheirs ? 403 : 422);
            model.addAttribute("problems", problems);
            model.addAttribute(
                    "uploaded",
                    chosen.stream().map(MultipartFile::getOriginalFilename).toList());
            model.addAttribute("chosenBase", base);
            listing(model);
            return "console/rulesets";
        }
    }

    @GetMapping(RULESETS + "/{version}")
    String version(@PathVariable String version, @RequestParam(required = false) String against, Model model) {
        StoredVersion v = existing(version);
        RulesetSource source = lifecycle.load(version).orElseThrow();
        String live = active.current().version();
        String compareWith =
                against != null && !against.isBlank() ? against : !version.equals(live) ? live : v.baseVersion();
        if (compareWith != null) {
            RulesetSource other = RulesetSource.isVersion(compareWith)
                    ? lifecycle.load(compareWith).orElse(null)
                    : null;
            if (other == null) {
                throw new ConsoleAdvice.NotFound("No stored ruleset version " + compareWith + " to compare with");
            }
            model.addAttribute("diff", DiffView.of(RulesetDiff.between(other, source, spreadsheetRules), json));
        }
        model.addAttribute("v", v);
        model.addAttribute("live", live);
        model.addAttribute("against", compareWith);
        model.addAttribute("versions", lifecycle.versions());
        model.addAttribute(
                "files",
                source.files().entrySet().stream()
                        .map(f -> new FileRow(
                                f.getKey(), String.valueOf(RulesetPaths.kindOf(f.getKey())), f.getValue().length))
                        .toList());
        model.addAttribute("history", lifecycle.history(version));
        model.addAttribute("warnings", read(v.warningsJson(), RulesetProblem[].class));
        model.addAttribute(
                "scenarios", v.scenariosJson() == null ? null : read(v.scenariosJson(), ScenarioRunner.Report.class));
        model.addAttribute("backtests", backtests.ofVersion(version));
        return "console/ruleset";
    }

    @GetMapping(RULESETS + "/{version}/files/{*path}")
    ResponseEntity<byte[]> file(@PathVariable String version, @PathVariable("path") String filePath) {
        existing(version);
        String path = filePath.startsWith("/") ? filePath.substring(1) : filePath;
        byte[] bytes = RulesetPaths.kindOf(path) == null
                ? null
                : lifecycle.file(version, path).orElse(null);
        if (bytes == null) {
            throw new ConsoleAdvice.NotFound("Ruleset " + version + " has no file " + path);
        }
        return ResponseEntity.ok()
                .contentType(mediaTypeOf(path))
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(path.substring(path.lastIndexOf('/') + 1))
                                .build()
                                .toString())
                .body(bytes);
    }

    /** Four eyes: refused (and said so on the page) when the person signed in uploaded this version. */
    @PostMapping(RULESETS + "/{version}/approve")
    String approve(@PathVariable String version, Authentication who, RedirectAttributes flash) {
        existing(version);
        try {
            lifecycle.approve(version, People.personOf(who));
            flash.addFlashAttribute(
                    "notice", "Approved by " + People.personOf(who) + ". An approver may now activate it.");
        } catch (RulesetLifecycle.Refused e) {
            flash.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:" + RULESETS + "/" + version;
    }

    @PostMapping(RULESETS + "/{version}/activate")
    String activate(@PathVariable String version, Authentication who, RedirectAttributes flash) {
        existing(version);
        try {
            RulesetLifecycle.Activation activation = lifecycle.activate(version, People.personOf(who));
            flash.addFlashAttribute(
                    "notice",
                    (activation.rollback() ? "Rolled back" : "Activated") + " by "
                            + People.personOf(who) + ": this version decides now"
                            + (activation.previousVersion() == null
                                            || activation.previousVersion().equals(version)
                                    ? "."
                                    : ", in place of " + Formats.INSTANCE.version(activation.previousVersion()) + "."));
        } catch (RulesetLifecycle.Refused e) {
            flash.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:" + RULESETS + "/" + version;
    }

    private void listing(Model model) {
        model.addAttribute("versions", lifecycle.versions());
        String live = active.current().version();
        model.addAttribute("live", live);
        model.addAttribute(
                "liveFiles",
                lifecycle.load(live).map(s -> List.copyOf(s.files().keySet())).orElse(List.of()));
    }

    private StoredVersion existing(String version) {
        if (!RulesetSource.isVersion(version)) {
            throw new ConsoleAdvice.NotFound("A ruleset version is sha256: and 64 hex digits, not " + version);
        }
        return lifecycle
                .find(version)
                .orElseThrow(() -> new ConsoleAdvice.NotFound("No stored ruleset version " + version));
    }

    private <T> T read(String text, Class<T> type) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON of a ruleset version is not what it should be", e);
        }
    }

    private static RulesetRejectedException rejected(String file, String message) {
        return new RulesetRejectedException(List.of(RulesetProblem.error(file, "", message)));
    }

    private static boolean isZip(MultipartFile file) {
        return file.getOriginalFilename().toLowerCase(Locale.ROOT).endsWith(".zip");
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

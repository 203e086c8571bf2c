package io.termsgate.ruleset;

import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Service;

/**
 * The one way files become a candidate, for the API and the console alike: a zip bundle of the whole ruleset, or
 * changed (and deleted) files on top of a stored base version. Every file is read with the same byte cap, placed
 * by the same rule (its ruleset path, or a bare file name that matches one file of the base), and handed to the
 * {@link RulesetLifecycle} with who uploaded it.
 */
@Service
public class RulesetUploads {

    private final RulesetStore store;
    private final RulesetLifecycle lifecycle;

    public RulesetUploads(RulesetStore store, RulesetLifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
    }

    /** A file as it came: the name it was sent under and its content, read at most once. */
    public record UploadedFile(String name, Content content) {}

    /** Opens an uploaded file's content. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    /**
     * @throws RulesetRejectedException when the bundle is not a ruleset, or what validation finds
     * @throws RulesetLifecycle.NotTheirs when it changes files the uploader's roles may not change
     */
    public RulesetLifecycle.Candidate bundle(Content zip, Uploader who, String origin) throws IOException {
        RulesetSource source;
        try (InputStream in = zip.open()) {
            source = RulesetSource.of(RulesetBundles.unzip(in));
        }
        return upload(source, who, null, origin);
    }

    /**
     * @param base a stored version ({@link RulesetLifecycle.Refused} 404 when there is none)
     * @param channel where the upload came from, for the record: {@code ""} for the API, {@code "in the console "}
     */
    public RulesetLifecycle.Candidate changedFiles(
            String base, List<UploadedFile> files, List<String> deletions, Uploader who, String channel)
            throws IOException {
        RulesetSource baseSource = (RulesetSource.isVersion(base)
                        ? store.load(base)
                        : java.util.Optional.<RulesetSource>empty())
                .orElseThrow(() -> new RulesetLifecycle.Refused(404, "No stored ruleset version " + base));
        Map<String, byte[]> merged = new TreeMap<>(baseSource.files());
        List<RulesetProblem> problems = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (UploadedFile file : files) {
            String name = file.name() == null ? "" : file.name();
            UploadedFiles.Placement placement =
                    UploadedFiles.place(name, baseSource.files().keySet());
            if (name.isBlank() || placement.problem() != null) {
                problems.add(RulesetProblem.error(
                        name.isBlank() ? "(no filename)" : name,
                        "",
                        name.isBlank()
                                ? "a file needs its name: its path in the ruleset (e.g. "
                                        + "decision-tables/risk-scorecard.xlsx) or the name of a file of the base version"
                                : placement.problem()));
                continue;
            }
            try (InputStream in = file.content().open()) {
                merged.put(
                        placement.path(),
                        RulesetBundles.readBounded(in, placement.path(), RulesetBundles.MAX_TOTAL_BYTES));
            }
            changed.add(placement.path());
        }
        for (String path : deletions) {
            if (merged.remove(path) == null) {
                problems.add(RulesetProblem.error(path, "", "cannot delete: " + base + " has no such file"));
            } else {
                changed.add("deleted " + path);
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesetRejectedException(problems);
        }
        return upload(
                RulesetSource.of(merged),
                who,
                base,
                "files changed " + channel + "on " + base + ": " + String.join(", ", changed));
    }

    private RulesetLifecycle.Candidate upload(RulesetSource source, Uploader who, String base, String origin) {
        if (source.files().isEmpty()) {
            throw new RulesetRejectedException(List.of(RulesetProblem.error("bundle", "", "no ruleset files")));
        }
        return lifecycle.upload(source, who, base, origin);
    }
}

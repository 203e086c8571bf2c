package io.termsgate.ruleset;

import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads an uploaded ruleset bundle (a zip of {@code rules/} and {@code decision-tables/}) without trusting it:
 * entry names are checked before anything is read (no {@code ..}, no absolute paths, only ruleset files), and
 * sizes are counted as bytes are inflated, not taken from headers, so a zip bomb stops at the limit.
 */
final class RulesetBundles {

    static final int MAX_ENTRIES = 500;
    static final long MAX_FILE_BYTES = RulesetFiles.MAX_FILE_BYTES;
    static final long MAX_TOTAL_BYTES = 64L * 1024 * 1024;

    private RulesetBundles() {}

    /**
     * @throws RulesetRejectedException naming every entry that cannot be part of a ruleset
     */
    public static Map<String, byte[]> unzip(InputStream zip) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        List<RulesetProblem> problems = new ArrayList<>();
        long total = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(zip)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (++entries > MAX_ENTRIES) {
                    throw rejected("bundle", "more than " + MAX_ENTRIES + " entries");
                }
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                String path = withoutTopFolder(name);
                if (isIgnorable(name)) {
                    continue;
                }
                if (name.startsWith("/")
                        || name.contains("\\")
                        || name.contains("..")
                        || name.contains(":")
                        || !RulesetPaths.isSafe(path)) {
                    problems.add(RulesetProblem.error(
                            printable(name),
                            "",
                            "unsafe path in the bundle: "
                                    + "entries must be relative, without '..', e.g. rules/knockouts.drl"));
                    continue;
                }
                if (RulesetPaths.kindOf(path) == null) {
                    problems.add(
                            RulesetProblem.error(
                                    path,
                                    "",
                                    "not a ruleset file; a bundle holds "
                                            + "rules/*.drl, decision-tables/*.xlsx|*.xls|*.dmn and decision-tables/scenarios/*.csv|*.xlsx"));
                    continue;
                }
                byte[] bytes = readBounded(in, path, MAX_TOTAL_BYTES - total);
                total += bytes.length;
                if (files.put(path, bytes) != null) {
                    problems.add(RulesetProblem.error(path, "", "appears twice in the bundle"));
                }
            }
        } catch (ZipException | IllegalArgumentException e) {
            // IllegalArgumentException: an entry name that is not valid UTF-8 (found by fuzzing)
            throw rejected("bundle", "not a readable zip file: " + e.getMessage());
        }
        if (entries == 0) {
            throw rejected("bundle", "not a zip file, or an empty one");
        }
        if (!problems.isEmpty()) {
            throw new RulesetRejectedException(problems);
        }
        return files;
    }

    /** Zips made by "compress this folder" put everything under one folder: accept that too. */
    private static String withoutTopFolder(String name) {
        if (name.startsWith(RulesetPaths.RULES_DIR + "/") || name.startsWith(RulesetPaths.DECISION_TABLES_DIR + "/")) {
            return name;
        }
        int slash = name.indexOf('/');
        String rest = slash < 0 ? name : name.substring(slash + 1);
        return rest.startsWith(RulesetPaths.RULES_DIR + "/") || rest.startsWith(RulesetPaths.DECISION_TABLES_DIR + "/")
                ? rest
                : name;
    }

    /** Operating-system litter that zip tools add: skipped silently. */
    private static boolean isIgnorable(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        return path.startsWith("__MACOSX/")
                || path.contains("/__MACOSX/")
                || file.equals(".DS_Store")
                || file.equals("Thumbs.db")
                || file.startsWith("._")
                || file.startsWith(".~lock.")
                || file.startsWith("~$");
    }

    static byte[] readBounded(InputStream in, String path, long totalLeft) throws IOException {
        long limit = Math.min(MAX_FILE_BYTES, totalLeft);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long read = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            read += n;
            if (read > limit) {
                throw rejected(
                        path,
                        read > MAX_FILE_BYTES
                                ? "larger than " + MAX_FILE_BYTES + " bytes"
                                : "the bundle inflates to more than " + MAX_TOTAL_BYTES + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static RulesetRejectedException rejected(String file, String message) {
        return new RulesetRejectedException(List.of(RulesetProblem.error(file, "", message)));
    }

    private static String printable(String name) {
        String cleaned = name.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 200 ? cleaned.substring(0, 200) + "…" : cleaned;
    }
}

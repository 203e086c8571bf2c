package io.termsgate.ruleset;

import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Reads a ruleset's files from a folder on disk, or the default ruleset packaged in the jar. Only files that belong
 * to a ruleset are read (see {@link RulesetPaths}); editor lock files, backups and notes beside them are skipped.
 */
public final class RulesetFiles {

    private static final Logger log = LoggerFactory.getLogger(RulesetFiles.class);
    static final String PACKAGED_ROOT = "default-ruleset";
    /** No ruleset file is anywhere near this; a bigger one is a mistake (or an attack) and is refused. */
    static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    private RulesetFiles() {}

    /** Whether {@code root} holds a ruleset at all (a {@code rules/} or {@code decision-tables/} folder). */
    public static boolean isRulesetFolder(Path root) {
        return Files.isDirectory(root.resolve(RulesetPaths.RULES_DIR))
                || Files.isDirectory(root.resolve(RulesetPaths.DECISION_TABLES_DIR));
    }

    public static RulesetSource readFolder(Path root) {
        Map<String, byte[]> files = new TreeMap<>();
        for (String dir : new String[] {RulesetPaths.RULES_DIR, RulesetPaths.DECISION_TABLES_DIR}) {
            Path folder = root.resolve(dir);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(folder)) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .forEach(p -> {
                            String path = root.relativize(p).toString().replace('\\', '/');
                            if (RulesetPaths.kindOf(path) == null) {
                                log.debug("not a ruleset file, skipped: {}", path);
                                return;
                            }
                            files.put(path, read(p));
                        });
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read ruleset folder " + folder, e);
            }
        }
        return RulesetSource.of(files);
    }

    /** The ruleset of a rule folder, or the default packaged in the jar when {@code dir} holds none. */
    public static RulesetSource readFolderOrPackaged(Path dir) {
        return isRulesetFolder(dir) ? readFolder(dir) : readPackagedDefault();
    }

    public static RulesetSource readPackagedDefault() {
        try {
            Map<String, byte[]> files = new TreeMap<>();
            var resolver = new PathMatchingResourcePatternResolver(RulesetFiles.class.getClassLoader());
            String marker = "/" + PACKAGED_ROOT + "/";
            for (Resource resource : resolver.getResources("classpath:" + PACKAGED_ROOT + "/**/*")) {
                String url =
                        URLDecoder.decode(resource.getURL().toString().replace("+", "%2B"), StandardCharsets.UTF_8);
                int at = url.lastIndexOf(marker);
                if (!resource.isReadable() || url.endsWith("/") || at < 0) {
                    continue;
                }
                String path = url.substring(at + marker.length());
                if (RulesetPaths.kindOf(path) != null) {
                    try (InputStream in = resource.getInputStream()) {
                        files.put(path, in.readAllBytes());
                    }
                }
            }
            if (files.isEmpty()) {
                throw new IllegalStateException("no default ruleset packaged under classpath:" + PACKAGED_ROOT);
            }
            return RulesetSource.of(files);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the packaged default ruleset", e);
        }
    }

    private static byte[] read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalStateException(file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

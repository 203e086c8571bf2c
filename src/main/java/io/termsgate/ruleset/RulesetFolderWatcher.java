package io.termsgate.ruleset;

import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Watch mode ({@code termsgate.ruleset.watch=true}, the embedded default): when the files in the rule folder
 * change, the folder is read again once it has been quiet for a moment; if its version compiles and its scenarios
 * pass it goes live, recorded as done by the file system; otherwise the problems are logged and the live version
 * stays. Saving a spreadsheet in Excel or LibreOffice writes several files in a row: the quiet period collects
 * them into one change.
 */
@Component
class RulesetFolderWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RulesetFolderWatcher.class);
    private static final long QUIET_MILLIS = 700;

    private final RulesetProperties properties;
    private final RulesetLifecycle lifecycle;
    private final ActiveRuleset active;
    private volatile WatchService watcher;
    private volatile Thread thread;
    private volatile String lastSeen;

    RulesetFolderWatcher(RulesetProperties properties, RulesetLifecycle lifecycle, ActiveRuleset active) {
        this.properties = properties;
        this.lifecycle = lifecycle;
        this.active = active;
    }

    @Override
    public void start() {
        Path root = properties.directory();
        if (!properties.watch() || !RulesetFiles.isRulesetFolder(root)) {
            return;
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
            register(root.resolve(RulesetPaths.RULES_DIR));
            register(root.resolve(RulesetPaths.DECISION_TABLES_DIR));
        } catch (IOException e) {
            log.warn("Cannot watch {} for rule edits: {}", root, e.toString());
            return;
        }
        lastSeen = RulesetFiles.readFolder(root).version();
        thread = new Thread(() -> watch(root), "ruleset-folder-watcher");
        thread.setDaemon(true);
        thread.start();
        log.info("Watching {} for rule edits: a change that passes validation and its scenarios goes live", root);
    }

    private void register(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> dirs = Files.walk(dir)) {
            for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                d.register(
                        watcher,
                        StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void watch(Path root) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean newFolder = drain(key);
                // wait until the folder has been quiet, so a multi-file save is one change
                WatchKey more;
                while ((more = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    newFolder |= drain(more);
                }
                if (newFolder) {
                    register(root.resolve(RulesetPaths.RULES_DIR));
                    register(root.resolve(RulesetPaths.DECISION_TABLES_DIR));
                }
                adopt(root);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.error("The rule folder watcher stopped: {}", e.toString(), e);
        }
    }

    private static boolean drain(WatchKey key) {
        boolean created = key.pollEvents().stream().anyMatch(e -> e.kind() == StandardWatchEventKinds.ENTRY_CREATE);
        key.reset();
        return created;
    }

    void adopt(Path root) {
        RulesetSource source;
        try {
            source = RulesetFiles.readFolder(root);
        } catch (RuntimeException e) {
            log.warn("Could not read the rule folder {} after a change: {}", root, e.toString());
            return;
        }
        if (source.version().equals(lastSeen)
                || source.version().equals(active.current().version())) {
            lastSeen = source.version();
            return;
        }
        lastSeen = source.version();
        try {
            RulesetLifecycle.Activation activation = lifecycle.adoptFromFolder(source, root.toString());
            log.info("Rule folder change is live: {} (was {})", activation.version(), activation.previousVersion());
        } catch (RulesetRejectedException e) {
            log.warn(
                    "Rule folder change {} rejected; {} stays live. Problems:\n  {}",
                    source.version(),
                    active.current().version(),
                    String.join(
                            "\n  ",
                            e.problems().stream().map(RulesetProblem::toString).toList()));
        } catch (RuntimeException e) {
            log.error(
                    "Rule folder change {} could not be adopted; {} stays live",
                    source.version(),
                    active.current().version(),
                    e);
        }
    }

    @Override
    public void stop() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null && thread.isAlive();
    }
}

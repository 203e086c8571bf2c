package io.termsgate.ruleset;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Service;

/**
 * How a policy change goes live: an analyst uploads a candidate (validated and scenario-tested, stored, not live),
 * someone else approves it, an approver activates it. Activating a version that was live before is a rollback.
 * Every step is recorded with who, when and from which version.
 */
@Service
public class RulesetLifecycle implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(RulesetLifecycle.class);

    private final RulesetStore store;
    private final RulesetValidation validation;
    private final CompiledRulesetCache compiled;
    private final ActiveRuleset active;
    private final Clock clock;
    private final RulesetProperties properties;

    public RulesetLifecycle(
            RulesetStore store,
            RulesetValidation validation,
            CompiledRulesetCache compiled,
            ActiveRuleset active,
            Clock clock,
            RulesetProperties properties) {
        this.properties = properties;
        this.store = store;
        this.validation = validation;
        this.compiled = compiled;
        this.active = active;
        this.clock = clock;
    }

    /** Why a step was refused: {@code status} is the HTTP status that says it. */
    public static class Refused extends RuntimeException {
        private final int status;

        public Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** An upload that changes files its uploader may not change (403): every such file, named. */
    public static class NotTheirs extends Refused {
        private final transient List<RulesetProblem> problems;

        NotTheirs(String uploader, List<RulesetProblem> problems) {
            super(
                    403,
                    uploader + " may not change "
                            + problems.stream().map(RulesetProblem::file).toList()
                            + ": tables are the analysts', rule logic (DRL) the rule authors'; nothing was compiled or stored");
            this.problems = List.copyOf(problems);
        }

        public List<RulesetProblem> problems() {
            return problems;
        }
    }

    /** An uploaded candidate: its version, where it stands, and what validation and the scenarios said. */
    public record Candidate(
            StoredVersion version, List<RulesetProblem> warnings, ScenarioRunner.Report scenarios, boolean created) {}

    /**
     * Checks that the uploader may change what the upload changes, then validates the files, runs their scenarios and
     * stores them as a candidate. The live ruleset is not touched.
     *
     * @param baseVersion the version the changed files were put on; {@code null} for a whole bundle, which is then
     *        compared with the live version
     * @throws NotTheirs before anything is compiled, when the upload changes a file that is not the uploader's
     * @throws RulesetRejectedException with every problem, when the files do not compile or a scenario fails
     */
    public Candidate upload(RulesetSource source, Uploader uploader, String baseVersion, String origin) {
        String comparedWith =
                baseVersion != null ? baseVersion : active.current().version();
        RulesetSource before = store.load(comparedWith)
                .orElseThrow(() -> new Refused(404, "No stored ruleset version " + comparedWith));
        List<RulesetProblem> notTheirs = uploader.outOfReach(
                before, source, (baseVersion != null ? "the base version " : "the live version ") + comparedWith);
        if (!notTheirs.isEmpty()) {
            log.info(
                    "Upload by {} {} refused: it changes {}",
                    uploader.name(),
                    uploader.roles(),
                    notTheirs.stream().map(RulesetProblem::file).toList());
            throw new NotTheirs(uploader.name(), notTheirs);
        }
        String actor = uploader.name();
        Instant now = clock.instant();
        RulesetValidation.KeptCandidate kept = validation.validateCandidateKeeping(source, now);
        RulesetValidation.Checked validated = kept.checked();
        boolean created;
        StoredVersion stored;
        boolean handedOver = false;
        try {
            created = store.store(
                    source,
                    new RulesetStore.Provenance(
                            actor,
                            origin,
                            baseVersion,
                            RulesetJson.write(validated.warnings()),
                            RulesetJson.write(validated.scenarios()),
                            validated.scenarios().allPassed()),
                    HistoryEntry.Event.UPLOADED,
                    now);
            stored = store.find(source.version()).orElseThrow();
            // the worker that validated it has the candidate compiled: a backtest or a what-if soon after evaluates
            // there (approved before, it evaluates in the service; uploaded again, the worker kept before stays)
            handedOver = stored.status() == StoredVersion.Status.CANDIDATE
                    && compiled.rememberSandboxed(
                            source.version(), kept.worker().evaluator());
        } finally {
            if (!handedOver) {
                kept.worker().close();
            }
        }
        log.info(
                "Ruleset {} {} by {} ({}); {} of {} scenarios passed",
                source.version(),
                created ? "uploaded" : "uploaded again (already stored)",
                actor,
                origin,
                validated.scenarios().passed(),
                validated.scenarios().total());
        return new Candidate(stored, validated.warnings(), validated.scenarios(), created);
    }

    /** The four-eyes step: someone other than the uploader approves a candidate. */
    public StoredVersion approve(String version, String approver) {
        StoredVersion stored = existing(version);
        if (stored.storedBy().equals(approver)) {
            throw new Refused(
                    403,
                    "Four eyes: " + approver + " uploaded " + version
                            + " and cannot approve it; another approver must");
        }
        if (stored.status() != StoredVersion.Status.CANDIDATE) {
            throw new Refused(409, version + " is " + stored.status() + ", not a candidate awaiting approval");
        }
        if (Boolean.FALSE.equals(stored.scenariosPassed())) {
            throw new Refused(409, version + " failed its scenarios and cannot be approved");
        }
        store.approve(version, approver, clock.instant());
        log.info("Ruleset {} approved by {}", version, approver);
        return existing(version);
    }

    /** The result of an activation: the version now live and the one it replaced. */
    public record Activation(
            String version, String previousVersion, String activatedBy, Instant activatedAt, boolean rollback) {}

    /**
     * Makes an approved version (or a version that was live before: a rollback) the live one for every instance.
     * It is compiled first; only then does the live reference change.
     */
    public Activation activate(String version, String actor) {
        StoredVersion stored = existing(version);
        switch (stored.status()) {
            case CANDIDATE ->
                throw new Refused(
                        409, version + " is not approved: a second person must approve it " + "before it can go live");
            case ACTIVE -> {
                return new Activation(version, version, stored.activatedBy(), stored.activatedAt(), false);
            }
            case APPROVED, RETIRED -> {
                // fall through to activation
            }
        }
        if (Boolean.FALSE.equals(stored.scenariosPassed())) {
            throw new Refused(409, version + " failed its scenarios and cannot go live");
        }
        CompiledRuleset ruleset =
                compiled.get(version).orElseThrow(() -> new Refused(404, "No stored ruleset version " + version));
        boolean rollback = stored.status() == StoredVersion.Status.RETIRED;
        Instant now = clock.instant();
        Optional<String> previous = store.activate(version, actor, now, rollback ? "rollback" : "activation");
        active.swap(ruleset, (rollback ? "rolled back" : "activated") + " by " + actor);
        return new Activation(version, previous.orElse(null), actor, now, rollback);
    }

    /**
     * Watch mode: a rule folder's new content goes live if it passes, recorded as done by the file system.
     *
     * @throws RulesetRejectedException when it does not pass; the live version stays
     */
    public Activation adoptFromFolder(RulesetSource source, String folder) {
        Instant now = clock.instant();
        RulesetValidation.Checked validated = validation.validateCandidate(source, now);
        CompiledRuleset ruleset = validation.compile(source);
        compiled.remember(ruleset);
        store.store(
                source,
                new RulesetStore.Provenance(
                        ActiveRuleset.FILE_SYSTEM,
                        "changed in " + folder,
                        null,
                        RulesetJson.write(validated.warnings()),
                        RulesetJson.write(validated.scenarios()),
                        true),
                HistoryEntry.Event.UPLOADED,
                now);
        Optional<String> previous =
                store.activate(source.version(), ActiveRuleset.FILE_SYSTEM, now, "watch mode: changed in " + folder);
        store.folderSeen(folder, source.version(), now);
        active.swap(ruleset, "changed in " + folder);
        return new Activation(source.version(), previous.orElse(null), ActiveRuleset.FILE_SYSTEM, now, false);
    }

    /**
     * Start-up, before the service takes requests: the live version from the store, or on the very first start the
     * rule folder (or the default packaged in the jar); in watch mode a folder that changed while the service was
     * down is adopted like any folder change, if it passes.
     */
    @Override
    public void afterSingletonsInstantiated() {
        ActiveRuleset.RulesetFolder folder = ActiveRuleset.RulesetFolder.of(properties.directory());
        RulesetSource onDisk = folder.read();
        Optional<RulesetStore.Active> live = store.active();
        Instant now = clock.instant();
        if (live.isEmpty()) {
            // the operator's bootstrap folder, part of the deployment: compiled here, the policy language applies
            CompiledRuleset ruleset = validation.validate(onDisk, now).ruleset();
            store.store(onDisk, ActiveRuleset.START_UP, folder.description(), now);
            store.activate(onDisk.version(), ActiveRuleset.START_UP, now, "first start: " + folder.description());
            active.swap(ruleset, "first start, from " + folder.description());
        } else if (properties.watch()
                && !onDisk.version().equals(live.get().version())
                && !onDisk.version().equals(store.folderVersion(folder.key()).orElse(null))) {
            log.info(
                    "The rule folder {} changed while the service was down; adopting {} if it passes",
                    folder.description(),
                    onDisk.version());
            try {
                adoptFromFolder(onDisk, folder.key());
            } catch (RulesetRejectedException e) {
                log.warn(
                        "The rule folder's version {} is rejected; {} stays live:\n  {}",
                        onDisk.version(),
                        live.get().version(),
                        String.join(
                                "\n  ",
                                e.problems().stream()
                                        .map(RulesetProblem::toString)
                                        .toList()));
                active.swap(liveRuleset(live.get()), "start-up");
            }
        } else {
            if (!onDisk.version().equals(live.get().version())) {
                log.info(
                        "The rule folder {} holds {}, but {} is live (activated by {}); it stays live",
                        folder.description(),
                        onDisk.version(),
                        live.get().version(),
                        live.get().activatedBy());
            }
            active.swap(liveRuleset(live.get()), "start-up");
        }
        store.folderSeen(folder.key(), onDisk.version(), now);
    }

    // The read side of the lifecycle, for the console and the backtest: the store itself stays this module's own.

    /** Every stored version, newest first. */
    public List<StoredVersion> versions() {
        return store.versions();
    }

    /** A stored version and where it stands; empty when no such version was ever stored. */
    public Optional<StoredVersion> find(String version) {
        return store.find(version);
    }

    public boolean exists(String version) {
        return store.exists(version);
    }

    /** Every step of a version's history, in order. */
    public List<HistoryEntry> history(String version) {
        return store.history(version);
    }

    /** A stored version's files. */
    public Optional<RulesetSource> load(String version) {
        return store.load(version);
    }

    /** One file of a stored version, as stored. */
    public Optional<byte[]> file(String version, String path) {
        return store.file(version, path);
    }

    private CompiledRuleset liveRuleset(RulesetStore.Active live) {
        return compiled.get(live.version())
                .orElseThrow(() -> new IllegalStateException(
                        "the live ruleset " + live.version() + " is not in the ruleset store"));
    }

    private StoredVersion existing(String version) {
        return store.find(version).orElseThrow(() -> new Refused(404, "No stored ruleset version " + version));
    }
}

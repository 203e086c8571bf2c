package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.PolicyExamples;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The compiled ruleset cache with real files and the real engine: what it loads decides exactly as a fresh compile,
 * and anything it cannot prove its own (altered, cut short, under another key, for other sources) is compiled again.
 */
class RuleBaseCacheTest {

    private static final Instant DECISION_TIME = Instant.parse("2026-11-22T10:00:00Z");
    private static final EngineProperties SETTINGS = new EngineProperties(10_000);

    static RulesetSource shipped;
    static CompiledRuleset fresh;

    @TempDir
    Path dir;

    private byte[] key;

    /** The engine counts on Micrometer's global registry, which counts nothing until a registry joins it. */
    static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();

    @BeforeAll
    static void compileWithoutCache() {
        Metrics.addRegistry(METERS);
        shipped = RulesetFiles.readFolder(Path.of("."));
        fresh = new DroolsDecisionEngine(SETTINGS).compile(shipped);
    }

    @AfterAll
    static void leaveTheGlobalRegistry() {
        Metrics.removeRegistry(METERS);
    }

    @BeforeEach
    void newKey() {
        key = randomKey();
    }

    @Test
    void aVersionCompiledOnceIsLoadedWithoutCompilingAndDecidesTheWorkedExamplesLikeAFreshCompile() throws IOException {
        new DroolsDecisionEngine(SETTINGS, cache(key)).compile(shipped);
        assertThat(entries()).hasSize(1);

        double hits = count("hit");
        long compiles = RuleBaseCompiler.builds();
        // a new cache object and engine: nothing shared with the compile that wrote the entry but the directory
        CompiledRuleset cached = new DroolsDecisionEngine(SETTINGS, cache(key)).compile(shipped);

        assertThat(RuleBaseCompiler.builds())
                .as("the rule compiler did not run")
                .isEqualTo(compiles);
        assertThat(count("hit")).isEqualTo(hits + 1);
        assertThat(cached.warnings()).isEqualTo(fresh.warnings());
        List<PolicyExamples.Example> examples = PolicyExamples.all();
        assertThat(examples).hasSize(41);
        for (PolicyExamples.Example example : examples) {
            Evaluation expected = fresh.evaluate(example.application(), DECISION_TIME);
            Evaluation actual = cached.evaluate(example.application(), DECISION_TIME);
            assertThat(actual).as(example.toString()).isEqualTo(expected);
            // and both are the worked example's answer, not merely the same mistake
            assertThat(actual.outcome().name())
                    .as(example.toString())
                    .isEqualTo(example.expected().get("outcome").asText());
            assertThat(actual.creditLimit())
                    .as(example.toString())
                    .isEqualTo(
                            new BigDecimal(example.expected().get("creditLimit").asText()));
            assertThat(actual.riskScore())
                    .as(example.toString())
                    .isEqualTo(example.expected().get("riskScore").asInt());
        }
    }

    @Test
    void theRuleBaseComesFromTheExecutableModelClassesInTheEntry() {
        RuleFiles files = RuleFiles.of(shipped);
        RuleBaseCache cache = cache(key);
        RuleBaseCompiler.RuleBase compiled =
                RuleBaseCompiler.compile(files.drl(), files.spreadsheets(), new ArrayList<>(), cache);
        assertThat(compiled.fromCache()).isFalse();

        long compiles = RuleBaseCompiler.builds();
        RuleBaseCompiler.RuleBase loaded =
                RuleBaseCompiler.compile(files.drl(), files.spreadsheets(), new ArrayList<>(), cache(key));

        assertThat(loaded.fromCache()).isTrue();
        assertThat(RuleBaseCompiler.builds()).isEqualTo(compiles);
        assertThat(ruleNames(loaded)).isEqualTo(ruleNames(compiled)).isNotEmpty();
        assertThat(loaded.origins()).isEqualTo(compiled.origins());
        assertThat(loaded.characteristics()).isEqualTo(compiled.characteristics());
    }

    @Test
    void anEntryWithOneByteFlippedIsRejectedAndCompiledAgain() throws IOException {
        Path entry = compileOnce();
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(entry, bytes);

        assertRejectedCompiledAgainAndRewritten(entry);
    }

    @Test
    void anEntryCutShortIsRejectedAndCompiledAgain() throws IOException {
        Path entry = compileOnce();
        try (RandomAccessFile file = new RandomAccessFile(entry.toFile(), "rw")) {
            file.setLength(file.length() - 1);
        }

        assertRejectedCompiledAgainAndRewritten(entry);
    }

    @Test
    void anEmptyEntryIsRejectedAndCompiledAgain() throws IOException {
        Path entry = compileOnce();
        Files.write(entry, new byte[0]);

        assertRejectedCompiledAgainAndRewritten(entry);
    }

    @Test
    void anEntryWrittenUnderAnotherKeyIsRejectedAndCompiledAgain() throws IOException {
        Path entry = compileOnce();
        byte[] written = Files.readAllBytes(entry);
        key = randomKey();

        assertRejectedCompiledAgainAndRewritten(entry);
        assertThat(Files.readAllBytes(entry)).isNotEqualTo(written);
    }

    @Test
    void anEntryOfOtherSourcesUnderThisSourcesNameIsRejected() throws IOException {
        Path entry = compileOnce();
        RulesetSource changed = withKnockouts(knockouts() + "\n// a comment is a change too\n");
        new DroolsDecisionEngine(SETTINGS, cache(key)).compile(changed);
        Path other =
                entries().stream().filter(p -> !p.equals(entry)).findFirst().orElseThrow();
        // the other sources' entry, valid under the key, renamed to this one's name
        Files.copy(other, entry, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertRejectedCompiledAgainAndRewritten(entry);
    }

    @Test
    void aChangedSourceMisses() throws IOException {
        Path entry = compileOnce();
        double misses = count("miss");
        long compiles = RuleBaseCompiler.builds();

        CompiledRuleset changed = new DroolsDecisionEngine(SETTINGS, cache(key))
                .compile(withKnockouts(knockouts().replace("\"KO_BANKRUPTCY\"", "\"KO_SANCTIONS\"")));

        assertThat(count("miss")).isEqualTo(misses + 1);
        assertThat(RuleBaseCompiler.builds()).isEqualTo(compiles + 1);
        assertThat(entries()).hasSize(2).contains(entry);
        // the changed rule is what decides, not the cached one
        PolicyExamples.Example bankrupt = PolicyExamples.all().stream()
                .filter(e -> e.request().toString().contains("BANKRUPTCY"))
                .findFirst()
                .orElseThrow();
        assertThat(changed.evaluate(bankrupt.application(), DECISION_TIME).reasons())
                .contains("KO_SANCTIONS")
                .doesNotContain("KO_BANKRUPTCY");
    }

    @Test
    void theLanguageCheckRunsEvenWhenAnEntryExistsForTheSources() throws IOException {
        RulesetSource forbidden = withKnockouts(knockouts()
                .replace(
                        "findings.decline(\"KO_BANKRUPTCY\");",
                        "findings.decline(\"KO_BANKRUPTCY\"); System.exit(9);"));
        RuleFiles files = RuleFiles.of(forbidden);
        RuleBaseCache cache = cache(key);
        // a genuine entry (the shipped rules' compiled classes) filed, under the key, for the forbidden sources
        Path shippedEntry = compileOnce();
        Files.copy(shippedEntry, cache.fileOf(cache.keyOf(files.drl(), files.spreadsheets())));
        long compiles = RuleBaseCompiler.builds();

        assertThatThrownBy(() -> new DroolsDecisionEngine(SETTINGS, cache).compile(forbidden))
                .isInstanceOf(RulesetRejectedException.class)
                .satisfies(e -> assertThat(((RulesetRejectedException) e).problems())
                        .anyMatch(p -> p.isError() && p.message().contains("System.exit")));
        assertThat(RuleBaseCompiler.builds()).isEqualTo(compiles);
    }

    @Test
    void theKeyOfAnEntryCoversEverySourceWithItsPathAndTheEngine() {
        RuleFiles files = RuleFiles.of(shipped);
        RuleBaseCache cache = cache(key);
        byte[] original = cache.keyOf(files.drl(), files.spreadsheets());

        Map<String, String> moved = new TreeMap<>();
        files.drl().forEach((path, drl) -> moved.put(path.replace("knockouts", "knock-outs"), drl));
        assertThat(cache.keyOf(moved, files.spreadsheets())).isNotEqualTo(original);
        assertThat(cache.keyOf(files.drl(), List.of())).isNotEqualTo(original);
        assertThat(new RuleBaseCache(dir, key, "another engine").keyOf(files.drl(), files.spreadsheets()))
                .isNotEqualTo(original);
        assertThat(cache(randomKey()).keyOf(files.drl(), files.spreadsheets()))
                .as("the name depends on the sources, not the key")
                .isEqualTo(original);
        assertThat(RuleBaseCache.Fingerprint.environment())
                .contains("drools 10.")
                .contains("code ");
    }

    @Test
    void theDmnValidatorsFindingsAreKeptSoTheNextCompileOfTheSameModelsDoesNotRunIt() throws IOException {
        assertThat(dmnFindings(fresh.warnings()))
                .as("the shipped models' decision table analysis (hit policy advice, skipped gap analysis)")
                .hasSizeGreaterThan(3);

        long runs = DmnCompiler.validatorRuns();
        new DroolsDecisionEngine(SETTINGS, cache(key)).compile(shipped);
        assertThat(DmnCompiler.validatorRuns()).isEqualTo(runs + 1);
        assertThat(findingsEntry(shipped)).exists();

        double hits = findingsCount("hit");
        CompiledRuleset cached = new DroolsDecisionEngine(SETTINGS, cache(key)).compile(shipped);

        assertThat(DmnCompiler.validatorRuns()).as("the validator did not run").isEqualTo(runs + 1);
        assertThat(findingsCount("hit")).isEqualTo(hits + 1);
        assertThat(cached.warnings()).as("every finding, in order").isEqualTo(fresh.warnings());
    }

    @Test
    void findingsWithAnErrorAreNotKeptSoTheValidatorJudgesRefusedModelsAgain() {
        // the validator reports its own failures (a stack or heap short once) as errors too: kept, they would refuse
        // these files for good
        RulesetSource duplicated = withDunning(dunningWithFirstRuleTwice());
        long runs = DmnCompiler.validatorRuns();
        List<RulesetProblem> expected = rejection(duplicated);
        assertThat(expected)
                .as("the validator's own finding, not one of the compile's")
                .anyMatch(p -> p.isError() && p.message().contains("Rules [1, 2] are duplicates"));
        assertThat(DmnCompiler.validatorRuns()).isEqualTo(runs + 1);
        assertThat(findingsEntry(duplicated)).doesNotExist();

        assertThat(rejection(duplicated)).isEqualTo(expected);
        assertThat(DmnCompiler.validatorRuns()).as("validated again").isEqualTo(runs + 2);
    }

    @Test
    void aRuleBaseEntryUnderTheFindingsKeyIsNeverTakenForFindings() throws IOException {
        // an entry valid under the key and for these very files' key, but a rule base's: it holds a kjar
        RuleBaseCache cache = cache(key);
        byte[] dmnKey = cache.keyOfDmn(dmnFiles(shipped));
        cache.store(dmnKey, new RuleBaseCache.Entry(List.of(), new byte[] {1, 2, 3}));
        Files.move(cache.fileOf(dmnKey), findingsEntry(shipped));
        double rejected = findingsCount("rejected");

        assertThat(cache.loadFindings(dmnKey)).isEmpty();
        assertThat(findingsCount("rejected")).isEqualTo(rejected + 1);
    }

    @Test
    void aFindingsEntryAlteredOrWrittenUnderAnotherKeyIsRejectedAndTheValidatorRunsAgain() throws IOException {
        // written under another key with no findings at all: what hiding the validator's findings would take
        RuleBaseCache other = cache(randomKey());
        Path findings = findingsEntry(shipped);
        other.storeFindings(other.keyOfDmn(dmnFiles(shipped)), List.of());
        assertThat(findings).exists();

        double rejected = findingsCount("rejected");
        long runs = DmnCompiler.validatorRuns();
        CompiledRuleset compiled = new DroolsDecisionEngine(SETTINGS, cache(key)).compile(shipped);

        assertThat(findingsCount("rejected")).isEqualTo(rejected + 1);
        assertThat(DmnCompiler.validatorRuns()).isEqualTo(runs + 1);
        assertThat(compiled.warnings()).isEqualTo(fresh.warnings());

        // rewritten under this key, then one byte flipped: rejected again, validated again
        byte[] bytes = Files.readAllBytes(findings);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(findings, bytes);
        assertThat(new DroolsDecisionEngine(SETTINGS, cache(key))
                        .compile(shipped)
                        .warnings())
                .isEqualTo(fresh.warnings());
        assertThat(findingsCount("rejected")).isEqualTo(rejected + 2);
        assertThat(DmnCompiler.validatorRuns()).isEqualTo(runs + 2);
    }

    @Test
    void aRuleBaseEntryUnderTheFindingsNameIsRejected() throws IOException {
        Path ruleBase = compileOnce();
        Path findings = findingsEntry(shipped);
        Files.copy(ruleBase, findings, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        double rejected = findingsCount("rejected");
        long runs = DmnCompiler.validatorRuns();

        assertThat(new DroolsDecisionEngine(SETTINGS, cache(key))
                        .compile(shipped)
                        .warnings())
                .isEqualTo(fresh.warnings());
        assertThat(findingsCount("rejected")).isEqualTo(rejected + 1);
        assertThat(DmnCompiler.validatorRuns()).isEqualTo(runs + 1);
    }

    @Test
    void theFindingsKeyCoversEveryDmnFileWithItsPathAndTheBuild() {
        RuleBaseCache cache = cache(key);
        Map<String, byte[]> dmn = dmnFiles(shipped);
        byte[] original = cache.keyOfDmn(dmn);

        Map<String, byte[]> edited = new TreeMap<>(dmn);
        edited.put("decision-tables/dunning.dmn", dunningWithFirstRuleTwice().getBytes(StandardCharsets.UTF_8));
        assertThat(cache.keyOfDmn(edited)).isNotEqualTo(original);
        Map<String, byte[]> moved = new TreeMap<>(dmn);
        moved.put("decision-tables/dunning-2.dmn", moved.remove("decision-tables/dunning.dmn"));
        assertThat(cache.keyOfDmn(moved)).isNotEqualTo(original);
        Map<String, byte[]> fewer = new TreeMap<>(dmn);
        fewer.remove("decision-tables/authority.dmn");
        assertThat(cache.keyOfDmn(fewer)).isNotEqualTo(original);
        assertThat(new RuleBaseCache(dir, key, "another build").keyOfDmn(dmn)).isNotEqualTo(original);
        assertThat(cache.keyOfDmn(new java.util.HashMap<>(dmn)))
                .as("whatever order the map gives")
                .isEqualTo(original);
        assertThat(cache.keyOfDmn(dmn))
                .as("not the rule base's name for any sources")
                .isNotEqualTo(cache.keyOf(Map.of(), List.of()));
        assertThat(RuleBaseCache.Fingerprint.environment()).contains("kie-dmn-validation 10.");
    }

    @Test
    void whatWasCountedBeforeARegistryJoinedIsSeenByItAsSoonAsItJoins() {
        // as at launch: the early compile counts before Spring's registry joins the global one
        RuleBaseCache cache = cache(key);
        cache.load(cache.keyOf(Map.of("rules/none.drl", "package none;"), List.of()));
        double misses = count("miss");
        assertThat(misses).isPositive();

        SimpleMeterRegistry late = new SimpleMeterRegistry();
        Metrics.addRegistry(late);
        try {
            assertThat(count(late, "termsgate.engine.cache", "miss")).isEqualTo(misses);
            cache.load(cache.keyOf(Map.of("rules/none.drl", "package other;"), List.of()));
            assertThat(count(late, "termsgate.engine.cache", "miss")).isEqualTo(misses + 1);
        } finally {
            Metrics.removeRegistry(late);
        }
    }

    @Test
    void theEmbeddedDefaultGeneratesAnOwnerOnlyKeyAndProdWithoutAKeyHasNoCache() throws IOException {
        EngineProperties embedded = new EngineProperties(
                10_000, EngineProperties.DmnMode.COMPILED, 0.001, true, dir.resolve("ruleset-cache"), null);

        assertThat(RuleBaseCache.open(embedded, true)).isEmpty();
        assertThat(dir.resolve(RuleBaseCache.GENERATED_KEY_FILE)).doesNotExist();

        assertThat(RuleBaseCache.open(embedded, false)).isPresent();
        Path generated = dir.resolve(RuleBaseCache.GENERATED_KEY_FILE);
        assertThat(Files.getPosixFilePermissions(generated)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Base64.getDecoder().decode(Files.readString(generated).strip()))
                .hasSize(32);

        EngineProperties configured = new EngineProperties(
                10_000,
                EngineProperties.DmnMode.COMPILED,
                0.001,
                true,
                dir.resolve("ruleset-cache"),
                Base64.getUrlEncoder().encodeToString(randomKey())); // the documented form: no '/'
        assertThat(RuleBaseCache.open(configured, true)).isPresent();
        assertThat(configured.toString()).doesNotContain(configured.cacheKey());

        EngineProperties tooShort = new EngineProperties(
                10_000,
                EngineProperties.DmnMode.COMPILED,
                0.001,
                true,
                dir.resolve("ruleset-cache"),
                Base64.getEncoder().encodeToString(new byte[16]));
        assertThat(RuleBaseCache.open(tooShort, true))
                .as("off, not a failed start")
                .isEmpty();

        EngineProperties off = new EngineProperties(
                10_000, EngineProperties.DmnMode.COMPILED, 0.001, false, dir.resolve("ruleset-cache"), null);
        assertThat(RuleBaseCache.open(off, false)).isEmpty();
        assertThat(RuleBaseCache.open(SETTINGS, false))
                .as("the sandbox's and tests' settings")
                .isEmpty();
    }

    @Test
    void entriesAreOwnerOnlyAndNoTemporaryFileIsLeft() throws IOException {
        Path entry = compileOnce();
        assertThat(Files.getPosixFilePermissions(entry)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        Path findings = findingsEntry(shipped);
        assertThat(Files.getPosixFilePermissions(findings)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(files()).containsExactlyInAnyOrder(entry, findings);
    }

    @Test
    void keepsTheMostRecentlyUsedEntriesAndRemovesAbandonedWrites() throws IOException {
        RuleBaseCache cache = cache(key);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < RuleBaseCache.MAX_ENTRIES; i++) {
            byte[] sources = cache.keyOf(Map.of("rules/r" + i + ".drl", "package p" + i + ";"), List.of());
            cache.store(sources, new RuleBaseCache.Entry(List.of(), new byte[] {(byte) i}));
            // oldest first, a minute apart: the order does not depend on the file system's clock resolution
            Files.setLastModifiedTime(
                    cache.fileOf(sources),
                    java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60L * (200 - i))));
            keys.add(sources);
        }
        cache.loaded(keys.get(0)); // the oldest, used again: now the most recent
        Path abandoned = Files.createFile(dir.resolve("ruleset-cache").resolve("x.kjar.123.tmp"));
        Files.setLastModifiedTime(
                abandoned, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(7200)));

        byte[] newest = cache.keyOf(Map.of("rules/new.drl", "package n;"), List.of());
        cache.store(newest, new RuleBaseCache.Entry(List.of(), new byte[] {1}));

        assertThat(entries()).hasSize(RuleBaseCache.MAX_ENTRIES);
        assertThat(cache.fileOf(newest)).exists();
        assertThat(cache.fileOf(keys.get(0))).exists();
        assertThat(cache.fileOf(keys.get(1))).as("the least recently used").doesNotExist();
        assertThat(cache.fileOf(keys.get(2))).exists();
        assertThat(abandoned).doesNotExist();
        assertThat(cache.load(keys.get(2))).get().extracting(e -> e.kjar()[0]).isEqualTo((byte) 2);
    }

    @Test
    void aKeyIsEitherBase64OrAFileNamedWithTheFilePrefixAndAPathIsNeverTakenForAKey() throws IOException {
        byte[] secret = randomKey();
        Path keyFile = Files.createFile(
                dir.resolve("engine-cache-key"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(secret) + "\n");

        RuleBaseCache fromFile =
                RuleBaseCache.open(withKey("file:" + keyFile), true).orElseThrow();
        byte[] sources = fromFile.keyOf(Map.of("rules/a.drl", "package a;"), List.of());
        fromFile.store(sources, new RuleBaseCache.Entry(List.of(), new byte[] {7}));
        assertThat(cache(secret).load(sources))
                .as("written under the key the file holds")
                .isPresent();
        assertThat(RuleBaseCache.open(withKey(Base64.getUrlEncoder().encodeToString(secret)), true))
                .as("the key itself, base64url")
                .isPresent();

        // before: the path of a missing file was base64-decoded into a 34-byte key
        String missing = "/run/secrets/termsgate/enginecachekeyfromvault";
        assertThat(Base64.getDecoder().decode(missing)).hasSizeGreaterThanOrEqualTo(32);
        List<ILoggingEvent> logged = logged(() -> {
            assertThat(RuleBaseCache.open(withKey(missing), true)).isEmpty();
            assertThat(RuleBaseCache.open(withKey(keyFile.toString()), true))
                    .as("a path is a path even when its file exists: file: says so")
                    .isEmpty();
            assertThat(RuleBaseCache.open(withKey("file:" + missing), true)).isEmpty();
        });
        assertThat(logged).hasSize(3).allMatch(e -> e.getLevel() == Level.ERROR);
        assertThat(logged.get(0).getFormattedMessage()).contains("file:");
        assertThat(logged.get(2).getFormattedMessage()).contains(missing);
    }

    @Test
    void aConfiguredKeyThatCannotBeUsedIsAnErrorNotAWarning() {
        List<ILoggingEvent> logged = logged(() -> {
            assertThat(RuleBaseCache.open(withKey(Base64.getEncoder().encodeToString(new byte[16])), true))
                    .isEmpty();
            assertThat(RuleBaseCache.open(withKey("not base64!"), true)).isEmpty();
        });
        assertThat(logged).hasSize(2).allMatch(e -> e.getLevel() == Level.ERROR);
    }

    @Test
    void aCacheDirectoryOrGeneratedKeyThatOthersCanChangeOrReadOrThatIsALinkTurnsTheCacheOff() throws IOException {
        Path cacheDir = dir.resolve("ruleset-cache");
        EngineProperties embedded =
                new EngineProperties(10_000, EngineProperties.DmnMode.COMPILED, 0.001, true, cacheDir, null);
        Path generated = dir.resolve(RuleBaseCache.GENERATED_KEY_FILE);
        Files.writeString(generated, Base64.getEncoder().encodeToString(randomKey()) + "\n");

        Files.setPosixFilePermissions(generated, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(RuleBaseCache.open(embedded, false))
                .as("a key others can read")
                .isEmpty();
        Files.setPosixFilePermissions(generated, PosixFilePermissions.fromString("rw-------"));
        Files.createDirectory(
                cacheDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwx---")));
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxrwx---"));
        assertThat(RuleBaseCache.open(embedded, false))
                .as("a directory its group can write")
                .isEmpty();
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwx------"));
        assertThat(RuleBaseCache.open(embedded, false))
                .as("both the service's own")
                .isPresent();

        Path real = dir.resolve("elsewhere-cache");
        Files.createDirectory(real, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        EngineProperties linked = new EngineProperties(
                10_000,
                EngineProperties.DmnMode.COMPILED,
                0.001,
                true,
                Files.createSymbolicLink(dir.resolve("linked"), real),
                null);
        assertThat(RuleBaseCache.open(linked, false))
                .as("a directory that is a link")
                .isEmpty();

        Path other = dir.resolve("other");
        Files.createDirectory(
                other, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path keyElsewhere = Files.copy(generated, other.resolve("the-key"));
        Files.createSymbolicLink(other.resolve(RuleBaseCache.GENERATED_KEY_FILE), keyElsewhere);
        EngineProperties keyLinked = new EngineProperties(
                10_000, EngineProperties.DmnMode.COMPILED, 0.001, true, other.resolve("ruleset-cache"), null);
        assertThat(RuleBaseCache.open(keyLinked, false))
                .as("a generated key that is a link")
                .isEmpty();
    }

    @Test
    void aCacheDirectoryOwnedByAnotherUserTurnsTheCacheOff() throws IOException {
        Path cacheDir = Files.createDirectory(
                dir.resolve("ruleset-cache"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Files.setAttribute(cacheDir, "unix:uid", 65534);
        } catch (IOException | UnsupportedOperationException e) {
            assumeTrue(false, "cannot give a directory to another user here: " + e);
        }
        assumeTrue(!Files.getOwner(cacheDir).equals(Files.getOwner(dir)), "the owner did not change");

        assertThat(RuleBaseCache.open(withKey(Base64.getUrlEncoder().encodeToString(randomKey())), true))
                .isEmpty();
    }

    @Test
    void anEntryThatIsASymbolicLinkIsRejectedEvenToAGenuineEntry() throws IOException {
        Path entry = compileOnce();
        Path genuine = Files.move(entry, dir.resolve("genuine.kjar"));
        Files.createSymbolicLink(entry, genuine);

        assertRejectedCompiledAgainAndRewritten(entry);
        assertThat(Files.isSymbolicLink(entry)).isFalse();
    }

    @Test
    void anEntryThatIsANamedPipeIsRejectedWithoutWaitingForAWriter() throws Exception {
        Path entry = compileOnce();
        Files.delete(entry);
        boolean made;
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", entry.toString())
                    .redirectErrorStream(true)
                    .start();
            made = mkfifo.waitFor(60, TimeUnit.SECONDS) && mkfifo.exitValue() == 0;
        } catch (IOException e) {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available");

        assertRejectedCompiledAgainAndRewritten(entry);
        assertThat(Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                .isTrue();
    }

    @Test
    void anEntryLargerThanTheLimitIsRejectedFromItsSize() throws IOException {
        assertThat(RuleBaseCache.MAX_ENTRY_BYTES).isEqualTo(32 * 1024 * 1024);
        Path entry = compileOnce();
        byte[] genuine = Files.readAllBytes(entry);
        // the genuine entry, then a sparse tail past the limit: no disk used, rejected before reading
        try (RandomAccessFile file = new RandomAccessFile(entry.toFile(), "rw")) {
            file.setLength(RuleBaseCache.MAX_ENTRY_BYTES + 1L);
        }
        assertThat(Files.readAllBytes(entry)).startsWith(genuine);

        assertRejectedCompiledAgainAndRewritten(entry);
        assertThat(Files.size(entry)).as("written again, whole").isLessThan(RuleBaseCache.MAX_ENTRY_BYTES);
    }

    @Test
    void anEntryThatCannotBeRemovedDoesNotKeepTheOthersFromBeingTrimmed() throws IOException {
        RuleBaseCache cache = cache(key);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < RuleBaseCache.MAX_ENTRIES; i++) {
            byte[] sources = cache.keyOf(Map.of("rules/r" + i + ".drl", "package p" + i + ";"), List.of());
            cache.store(sources, new RuleBaseCache.Entry(List.of(), new byte[] {(byte) i}));
            Files.setLastModifiedTime(
                    cache.fileOf(sources),
                    java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60L * (200 - i))));
            keys.add(sources);
        }
        // a directory named like an entry, with a file in it: deleting it fails. Between the two oldest entries, so
        // that it comes first of those to remove
        Path stuck = Files.createDirectory(dir.resolve("ruleset-cache").resolve("stuck.kjar"));
        Files.createFile(stuck.resolve("inside"));
        Files.setLastModifiedTime(
                stuck, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60L * 200 - 30)));

        byte[] newest = cache.keyOf(Map.of("rules/new.drl", "package n;"), List.of());
        cache.store(newest, new RuleBaseCache.Entry(List.of(), new byte[] {1}));

        assertThat(stuck).isDirectory();
        assertThat(cache.fileOf(keys.get(0)))
                .as("the oldest, removed all the same")
                .doesNotExist();
        assertThat(cache.fileOf(keys.get(1))).exists();
        assertThat(cache.fileOf(newest)).exists();
    }

    private EngineProperties withKey(String cacheKey) {
        return new EngineProperties(
                10_000, EngineProperties.DmnMode.COMPILED, 0.001, true, dir.resolve("ruleset-cache"), cacheKey);
    }

    /** What RuleBaseCache logged at WARN or above on this thread (tests run in parallel) while the action ran. */
    private static List<ILoggingEvent> logged(Runnable action) {
        String thread = Thread.currentThread().getName();
        Logger logger = (Logger) LoggerFactory.getLogger(RuleBaseCache.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream()
                .filter(e -> e.getThreadName().equals(thread))
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .toList();
    }

    private void assertRejectedCompiledAgainAndRewritten(Path entry) throws IOException {
        double rejected = count("rejected");
        double hits = count("hit");
        long compiles = RuleBaseCompiler.builds();

        CompiledRuleset recompiled = new DroolsDecisionEngine(SETTINGS, cache(key)).compile(shipped);

        assertThat(count("rejected")).isEqualTo(rejected + 1);
        assertThat(count("hit")).isEqualTo(hits);
        assertThat(RuleBaseCompiler.builds()).as("compiled again").isEqualTo(compiles + 1);
        PolicyExamples.Example first = PolicyExamples.all().get(0);
        assertThat(recompiled.evaluate(first.application(), DECISION_TIME))
                .isEqualTo(fresh.evaluate(first.application(), DECISION_TIME));

        // written again: the next compile loads it
        new DroolsDecisionEngine(SETTINGS, cache(key)).compile(shipped);
        assertThat(count("hit")).isEqualTo(hits + 1);
        assertThat(RuleBaseCompiler.builds()).isEqualTo(compiles + 1);
        assertThat(entry).exists();
    }

    private Path compileOnce() throws IOException {
        new DroolsDecisionEngine(SETTINGS, cache(key)).compile(shipped);
        RuleFiles files = RuleFiles.of(shipped);
        RuleBaseCache cache = cache(key);
        Path entry = cache.fileOf(cache.keyOf(files.drl(), files.spreadsheets()));
        assertThat(entry).exists();
        return entry;
    }

    private RuleBaseCache cache(byte[] secret) {
        return new RuleBaseCache(dir.resolve("ruleset-cache"), secret, RuleBaseCache.Fingerprint.environment());
    }

    /** The rule base entries in the cache directory (beside them, the DMN validator's findings). */
    private List<Path> entries() throws IOException {
        return files().stream().filter(p -> p.toString().endsWith(".kjar")).toList();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("ruleset-cache"))) {
            return files.toList();
        }
    }

    private static double count(String result) {
        return count("termsgate.engine.cache", result);
    }

    private static double findingsCount(String result) {
        return count("termsgate.engine.dmn-findings-cache", result);
    }

    private static double count(String meter, String result) {
        return count(Metrics.globalRegistry, meter, result);
    }

    private static double count(io.micrometer.core.instrument.MeterRegistry registry, String meter, String result) {
        // whichever kind of meter counts it: what a scrape reads
        var counted = registry.find(meter).tag("result", result).meter();
        if (counted == null) {
            return 0;
        }
        double total = 0;
        for (io.micrometer.core.instrument.Measurement m : counted.measure()) {
            total += m.getValue();
        }
        return total;
    }

    private static List<String> ruleNames(RuleBaseCompiler.RuleBase ruleBase) {
        return ruleBase.kieBase().getKiePackages().stream()
                .flatMap(p -> p.getRules().stream().map(r -> p.getName() + "." + r.getName()))
                .sorted()
                .toList();
    }

    private static byte[] randomKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String knockouts() {
        return new String(shipped.files().get("rules/knockouts.drl"), StandardCharsets.UTF_8);
    }

    private List<RulesetProblem> rejection(RulesetSource source) {
        try {
            new DroolsDecisionEngine(SETTINGS, cache(key)).compile(source);
        } catch (RulesetRejectedException e) {
            return e.problems();
        }
        throw new AssertionError("not rejected");
    }

    private static List<RulesetProblem> dmnFindings(List<RulesetProblem> problems) {
        return problems.stream().filter(p -> p.file().endsWith(".dmn")).toList();
    }

    private Path findingsEntry(RulesetSource source) {
        RuleBaseCache cache = cache(key);
        return cache.fileOf(RuleBaseCache.Kind.DMN_FINDINGS, cache.keyOfDmn(dmnFiles(source)));
    }

    private static Map<String, byte[]> dmnFiles(RulesetSource source) {
        Map<String, byte[]> dmn = new TreeMap<>();
        source.files().forEach((path, bytes) -> {
            if (path.endsWith(".dmn")) {
                dmn.put(path, bytes);
            }
        });
        return dmn;
    }

    /** The dunning table with its first rule twice: the copy, second under the FIRST hit policy, is masked. */
    private static String dunningWithFirstRuleTwice() {
        String dunning = new String(shipped.files().get("decision-tables/dunning.dmn"), StandardCharsets.UTF_8);
        int start = dunning.indexOf("      <rule id=\"_DunningStep_dt_r1\">");
        int end = dunning.indexOf("      <rule id=\"_DunningStep_dt_r2\">");
        String first = dunning.substring(start, end);
        String copy = first.replace("_DunningStep_dt_r1", "_DunningStep_dt_r1_again");
        assertThat(copy).isNotEqualTo(first);
        return dunning.substring(0, end) + copy + dunning.substring(end);
    }

    private static RulesetSource withDunning(String dmn) {
        Map<String, byte[]> files = new TreeMap<>(shipped.files());
        files.put("decision-tables/dunning.dmn", dmn.getBytes(StandardCharsets.UTF_8));
        return RulesetSource.of(files);
    }

    private static RulesetSource withKnockouts(String drl) {
        Map<String, byte[]> files = new TreeMap<>(shipped.files());
        files.put("rules/knockouts.drl", drl.getBytes(StandardCharsets.UTF_8));
        return RulesetSource.of(files);
    }

    /** The DRL and converted spreadsheets of a source, as the engine hands them to the compiler. */
    private record RuleFiles(Map<String, String> drl, List<SpreadsheetTables.Converted> spreadsheets) {

        static RuleFiles of(RulesetSource source) {
            Map<String, String> drl = new TreeMap<>();
            List<SpreadsheetTables.Converted> spreadsheets = new ArrayList<>();
            List<RulesetProblem> problems = new ArrayList<>();
            source.files().forEach((path, bytes) -> {
                switch (RulesetPaths.kindOf(path)) {
                    case DRL -> drl.put(path, new String(bytes, StandardCharsets.UTF_8));
                    case SPREADSHEET -> spreadsheets.add(SpreadsheetTables.convert(path, bytes, problems));
                    default -> {}
                }
            });
            assertThat(problems).isEmpty();
            return new RuleFiles(drl, spreadsheets);
        }
    }
}

package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import io.termsgate.ruleset.RulesetFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * The compile started at launch (docs/performance.md, "Compiling the ruleset while Spring starts"): the launching
 * thread only starts it (the folder is read on the compiler's thread), and the engine's first compile of the same
 * version takes exactly what compiling then would have given, once.
 */
class EarlyCompileTest {

    private static final EngineProperties SETTINGS = new EngineProperties(10_000);

    private static RulesetSource shipped;

    @BeforeAll
    static void readShipped() {
        shipped = RulesetFiles.readFolder(Path.of("."));
    }

    @Test
    void theLaunchingThreadDoesNotReadTheFolderAndTheEngineTakesTheCompileOnce() throws Exception {
        CountDownLatch mayRead = new CountDownLatch(1);
        AtomicReference<String> readOn = new AtomicReference<>();
        EarlyCompile early = EarlyCompile.start(
                () -> {
                    readOn.set(Thread.currentThread().getName());
                    try {
                        assertThat(mayRead.await(60, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return RulesetFiles.readFolder(Path.of("."));
                },
                SETTINGS,
                new MockEnvironment());
        // start returned while the read waits for mayRead: it was not read on this thread; it is on the compiler's
        for (int i = 0; i < 600 && readOn.get() == null; i++) {
            Thread.sleep(100);
        }
        assertThat(readOn.get()).isEqualTo("ruleset-compiler");
        mayRead.countDown();

        CompiledRuleset taken = early.take(shipped, SETTINGS);
        assertThat(taken).isNotNull();
        assertThat(readOn.get()).isEqualTo("ruleset-compiler");
        assertThat(taken.version()).isEqualTo(shipped.version());
        assertThat(early.take(shipped, SETTINGS)).as("taken once").isNull();
    }

    @Test
    void anotherVersionOrOtherSettingsTakeNothingAndLeaveItForTheRightOne() {
        EarlyCompile early = EarlyCompile.start(() -> shipped, SETTINGS, new MockEnvironment());
        Map<String, byte[]> files = new HashMap<>(shipped.files());
        files.put("rules/extra.drl", "package termsgate.extra;\n".getBytes(StandardCharsets.UTF_8));
        assertThat(early.take(RulesetSource.of(files), SETTINGS)).isNull();
        assertThat(early.take(shipped, new EngineProperties(20_000))).isNull();
        assertThat(early.take(shipped, SETTINGS)).isNotNull();
    }

    @Test
    void aFolderThatCannotBeReadLeavesNothingToTakeAndTheNormalPathReports() {
        EarlyCompile early = EarlyCompile.start(
                () -> {
                    throw new java.io.UncheckedIOException(new java.io.IOException("unreadable"));
                },
                SETTINGS,
                new MockEnvironment());
        assertThat(early.take(shipped, SETTINGS)).isNull();
    }

    @Test
    void aRejectedRulesetIsRejectedWithTheSameProblemsAsCompilingNow() {
        Map<String, byte[]> files = new HashMap<>(shipped.files());
        files.put(
                "rules/broken.drl",
                "package termsgate.broken;\nrule \"x\" when then nonsense(; end\n".getBytes(StandardCharsets.UTF_8));
        RulesetSource broken = RulesetSource.of(files);
        EarlyCompile early = EarlyCompile.start(() -> broken, SETTINGS, new MockEnvironment());
        DroolsDecisionEngine engine = new DroolsDecisionEngine(SETTINGS, (RuleBaseCache) null);
        RulesetRejectedException now = org.junit.jupiter.api.Assertions.assertThrows(
                RulesetRejectedException.class, () -> engine.compileNow(broken));
        assertThatThrownBy(() -> early.take(broken, SETTINGS))
                .isInstanceOf(RulesetRejectedException.class)
                .satisfies(e ->
                        assertThat(((RulesetRejectedException) e).problems()).hasSameSizeAs(now.problems()));
    }

    @Test
    void aDiscardedCompileIsNotTaken() {
        EarlyCompile early = EarlyCompile.start(() -> shipped, SETTINGS, new MockEnvironment());
        early.discard();
        assertThat(early.take(shipped, SETTINGS)).isNull();
    }
}

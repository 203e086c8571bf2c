package io.termsgate.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetRejectedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Fuzzes the upload parsers: a bundle is either refused with problems or gives only safe ruleset paths within the
 * size limits; a scenario file either parses or is refused with a message. Nothing else escapes.
 *
 * <p>Seeds: src/test/resources/io/termsgate/ruleset/RulesetUploadFuzzTestInputs. Fuzzing: see docs/reliability.md.
 */
class RulesetUploadFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void bundle(byte[] zip) {
        Map<String, byte[]> files;
        try {
            files = RulesetBundles.unzip(new ByteArrayInputStream(zip));
        } catch (RulesetRejectedException e) {
            assertThat(e.problems()).isNotEmpty();
            return;
        } catch (IOException e) {
            return; // a broken stream: answered 422 / 400
        }
        long total = 0;
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            assertThat(RulesetPaths.kindOf(file.getKey())).as(file.getKey()).isNotNull();
            assertThat(file.getKey()).doesNotContain("..").doesNotStartWith("/");
            assertThat((long) file.getValue().length).isLessThanOrEqualTo(RulesetBundles.MAX_FILE_BYTES);
            total += file.getValue().length;
        }
        assertThat(total).isLessThanOrEqualTo(RulesetBundles.MAX_TOTAL_BYTES);
    }

    @FuzzTest(maxDuration = "1m")
    void scenarioCsv(byte[] csv) {
        try {
            ScenarioRunner.csv(csv).forEach(row -> assertThat(row).isNotNull());
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}

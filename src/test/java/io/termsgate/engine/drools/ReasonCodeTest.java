package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The engine's reason-code check is exactly the documented pattern {@code [A-Z][A-Z0-9_]{0,63}}. */
class ReasonCodeTest {

    private static final Pattern REASON_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final String CHARACTERS = "AZMQ09_5az-. \u00c4\u0130\u212a\n";

    @Test
    void theCheckIsThePattern() {
        Random random = new Random(64);
        int codes = 0;
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(70);
            for (int c = 0; c < length; c++) {
                // mostly characters a code may hold, so that long valid codes occur
                text.append(
                        random.nextInt(10) < 8
                                ? "AZ09_M".charAt(random.nextInt(6))
                                : CHARACTERS.charAt(random.nextInt(CHARACTERS.length())));
            }
            String reason = text.toString();
            boolean expected = REASON_CODE.matcher(reason).matches();
            codes += expected ? 1 : 0;
            assertThat(DroolsCompiledRuleset.reasonCode(reason))
                    .as("'%s'", reason)
                    .isEqualTo(expected);
        }
        assertThat(codes).isGreaterThan(1_000);
        assertThat(DroolsCompiledRuleset.reasonCode(null)).isFalse();
        assertThat(DroolsCompiledRuleset.reasonCode("A".repeat(64))).isTrue();
        assertThat(DroolsCompiledRuleset.reasonCode("A".repeat(65))).isFalse();
        assertThat(DroolsCompiledRuleset.reasonCode("_A")).isFalse();
        assertThat(DroolsCompiledRuleset.reasonCode("KO_SANCTIONS")).isTrue();
    }
}

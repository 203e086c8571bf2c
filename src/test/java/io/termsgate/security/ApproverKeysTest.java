package io.termsgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** A key of delegated authority names the person who holds it: four eyes count people, not keys. */
class ApproverKeysTest {

    @Test
    void aKeyOfDelegatedAuthorityWithoutItsPersonRefusesToStart() {
        for (Role level : List.of(Role.CREDIT_ANALYST, Role.CREDIT_MANAGER, Role.CFO)) {
            assertThatThrownBy(() -> keys(new SecurityProperties.ApiKey("cfo-key", "s3cret-cfo", Set.of(level))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("API key cfo-key decides referred orders but names no person")
                    .hasMessageNotContaining("s3cret");
        }
    }

    @Test
    void aKeyThatApprovesRulesetsNamesItsPersonToo() {
        assertThatThrownBy(() -> keys(new SecurityProperties.ApiKey(
                        "release-bot", "s3cret-release", Set.of(Role.RULE_AUTHOR, Role.APPROVER))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("API key release-bot approves rulesets but names no person")
                .hasMessageNotContaining("s3cret");
        ApiKeys keys = keys(new SecurityProperties.ApiKey(
                "lead-key", "s3cret-lead", Set.of(Role.RULE_AUTHOR, Role.APPROVER), null, "jane.lead"));
        assertThat(keys.holders()).containsExactly(new ApiKeyHolders.Holder("lead-key", "jane.lead"));
    }

    @Test
    void anyKeyMayNameItsPersonAndTwoKeysNeverShareAName() {
        ApiKeys keys = keys(
                new SecurityProperties.ApiKey("jane-ci", "s3cret-jane", Set.of(Role.ANALYST), null, "jane"),
                new SecurityProperties.ApiKey("team-ci", "s3cret-team", Set.of(Role.ANALYST)));
        assertThat(keys.holders())
                .containsExactly(
                        new ApiKeyHolders.Holder("jane-ci", "jane"), new ApiKeyHolders.Holder("team-ci", null));
        assertThatThrownBy(() -> keys(
                        new SecurityProperties.ApiKey("team-ci", "s3cret-one", Set.of(Role.ANALYST)),
                        new SecurityProperties.ApiKey("team-ci", "s3cret-two", Set.of(Role.AUDITOR))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Two API keys are named team-ci")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void theKeysPersonIsWhatItIsKnownByAndOtherRolesNeedNone() {
        ApiKeys keys = keys(
                new SecurityProperties.ApiKey("cfo-key", "s3cret-cfo", Set.of(Role.CFO), null, "jane.cfo"),
                new SecurityProperties.ApiKey("checkout-web", "s3cret-checkout", Set.of(Role.CHECKOUT)));
        assertThat(keys.find("s3cret-cfo").orElseThrow().person()).isEqualTo("jane.cfo");
        assertThat(keys.find("s3cret-checkout").orElseThrow().person()).isNull();
        assertThat(keys.find("s3cret-cfo2")).isEmpty();
    }

    @Test
    void onlyDigestsOfTheKeysAreKept() throws IllegalAccessException {
        ApiKeys keys = keys(new SecurityProperties.ApiKey("checkout-web", "s3cret-checkout", Set.of(Role.CHECKOUT)));
        // what a heap dump of the lookup would show: names, roles and 32-byte digests, no secret
        assertThat(keys.find("s3cret-checkout").orElseThrow().toString()).doesNotContain("s3cret");
        for (java.lang.reflect.Field field : ApiKeys.class.getDeclaredFields()) {
            if (!java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                assertThat(String.valueOf(field.get(keys))).doesNotContain("s3cret");
            }
        }
    }

    private static ApiKeys keys(SecurityProperties.ApiKey... keys) {
        return new ApiKeys(new SecurityProperties(List.of(keys)), new MockEnvironment());
    }
}

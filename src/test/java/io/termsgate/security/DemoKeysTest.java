package io.termsgate.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.TermsgateApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Demo keys serve a laptop, never production. */
class DemoKeysTest {

    @Test
    void theProdProfileRefusesToStartWithDemoKeys() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(TermsgateApplication.class)
                        .profiles("prod", "test")
                        .properties(
                                "PORT=0",
                                "termsgate.ruleset.dir=.",
                                "termsgate.audit.signing-key=" + io.termsgate.support.TestSigningKey.file(),
                                "termsgate.privacy.master-key="
                                        + io.termsgate.support.TestSigningKey
                                                .privacyMasterKey()) // application.yml: server.port=${PORT:8080}
                        .run()
                        .close())
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .rootCause()
                .hasMessageContaining("demo API keys")
                .hasMessageContaining("demo-checkout")
                .hasMessageContaining("demo-erp")
                .hasMessageContaining("demo-buyer");
    }

    @Test
    void theProdProfileStartsWithRealKeysFromTheEnvironment() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TermsgateApplication.class)
                .profiles("prod", "test")
                .properties(
                        "PORT=0",
                        "termsgate.ruleset.dir=.",
                        "termsgate.audit.signing-key=" + io.termsgate.support.TestSigningKey.file(),
                        "termsgate.privacy.master-key="
                                + io.termsgate.support.TestSigningKey
                                        .privacyMasterKey()) // application.yml: server.port=${PORT:8080}
                // as from the environment: a list set there replaces the demo list of application.yml as a whole
                .run(
                        "--termsgate.security.api-keys[0].name=checkout-web",
                        "--termsgate.security.api-keys[0].key=s3cret-from-the-vault",
                        "--termsgate.security.api-keys[0].roles=CHECKOUT",
                        // the console's demo people are refused under prod too (see ConsoleUsersTest)
                        "--termsgate.console.users[0].name=alice",
                        "--termsgate.console.users[0].password-hash=$2a$10$IpFm6nKnZPaniV6pxDdt0e38ScVQf4tsP7UiuRwkfVDcdn0c1rIQW",
                        "--termsgate.console.users[0].roles=ANALYST")) {
            assertThat(context.getBean(ApiKeys.class).find("s3cret-from-the-vault"))
                    .isPresent();
            assertThat(context.getBean(ApiKeys.class).find("demo-checkout")).isEmpty();
        }
    }
}

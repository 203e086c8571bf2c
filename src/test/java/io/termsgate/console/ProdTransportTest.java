package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.TermsgateApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Under the prod profile the session cookie is Secure and the console's and portal's answers carry HSTS. */
class ProdTransportTest {

    @Test
    void theProdProfileSendsASecureSessionCookieAndStrictTransportSecurity() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TermsgateApplication.class)
                .profiles("prod", "test")
                .properties(
                        "PORT=0",
                        "termsgate.ruleset.dir=.",
                        "termsgate.audit.signing-key=" + io.termsgate.support.TestSigningKey.file(),
                        "termsgate.privacy.master-key="
                                + io.termsgate.support.TestSigningKey
                                        .privacyMasterKey()) // application.yml: server.port=${PORT:8080}
                .run(
                        "--termsgate.security.api-keys[0].name=checkout-web",
                        "--termsgate.security.api-keys[0].key=s3cret-from-the-vault",
                        "--termsgate.security.api-keys[0].roles=CHECKOUT",
                        "--termsgate.console.users[0].name=alice",
                        "--termsgate.console.users[0].password-hash=" + ConsoleUsersTest.ALICE_HASH,
                        "--termsgate.console.users[0].roles=ANALYST")) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            for (String login : new String[] {ConsoleSecurityConfig.LOGIN, PortalSecurityConfig.LOGIN}) {
                ConsoleSession.Page page = new ConsoleSession(port).get(login);
                assertThat(page.status()).as(login).isEqualTo(200);
                assertThat(page.header("Strict-Transport-Security")).as(login).isEqualTo("max-age=31536000");
                String cookie = page.response().headers().allValues("Set-Cookie").stream()
                        .filter(c -> c.startsWith("JSESSIONID="))
                        .findFirst()
                        .orElseThrow();
                assertThat(cookie)
                        .as(login)
                        .contains("Secure")
                        .contains("HttpOnly")
                        .contains("SameSite=Lax");
            }
        }
    }
}

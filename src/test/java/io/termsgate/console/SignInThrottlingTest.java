package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.support.ServiceTest;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Sign-in slows guessing down over real HTTP: after five failures for a name, or ten from one address (this test's
 * setting), a try waits (a short first delay here), even with the right password, and every failure is logged
 * without its password. One context, in order: the name's test first, since the address's blocks every name (and
 * counts the name test's failures too: they came from the same address).
 */
@ServiceTest
@DirtiesContext
@TestPropertySource(
        properties = {"termsgate.console.sign-in.first-delay=700ms", "termsgate.console.sign-in.failures-per-address=10"
        })
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignInThrottlingTest {

    @LocalServerPort
    int port;

    @Test
    @Order(1)
    void fiveFailuresForANameMakeEvenTheRightPasswordWaitAndAreLoggedWithoutThePassword(CapturedOutput log)
            throws InterruptedException {
        ConsoleSession someone = new ConsoleSession(port);
        for (int i = 1; i <= 5; i++) {
            assertThat(someone.signIn("demo-auditor-person", "guess-number-" + i)
                            .location())
                    .as("failure " + i)
                    .isEqualTo("/console/login?failed");
        }
        ConsoleSession.Page refused = someone.signIn("demo-auditor-person", "demo-auditor-pass");
        assertThat(refused.location()).isEqualTo("/console/login?throttled");
        assertThat(someone.get(refused.location()).body()).contains("Too many failed sign-ins");
        assertThat(someone.get("/console").status()).as("not signed in").isEqualTo(302);

        Thread.sleep(900);
        assertThat(someone.signIn("demo-auditor-person", "demo-auditor-pass").location())
                .as("signed in, back to the page asked for")
                .isEqualTo("/console?continue");
        assertThat(log.getOut())
                .contains("Failed sign-in at /console/login: name 'demo-auditor-person' from ")
                .contains("(5 failure(s) for the name within the window)")
                .contains("Sign-in at /console/login refused for")
                .doesNotContain("guess-number-");
    }

    @Test
    @Order(2)
    void tenFailuresFromOneAddressUnderManyNamesMakeEveryNameWaitInTheConsoleAndThePortal() {
        ConsoleSession guesser = new ConsoleSession(port);
        int failures = 0;
        ConsoleSession.Page answer;
        do {
            answer = guesser.signIn("nobody-" + failures, "guess");
            failures++;
        } while ("/console/login?failed".equals(answer.location()) && failures < 12);
        // every name failed once: only the address's count (with the five of the test before) makes it wait
        assertThat(answer.location()).isEqualTo("/console/login?throttled");
        assertThat(failures).as("at most ten failures, then refused").isLessThanOrEqualTo(11);

        ConsoleSession analyst = new ConsoleSession(port);
        assertThat(analyst.signIn("demo-analyst-person", "demo-analyst-pass").location())
                .as("another name from the same address")
                .isEqualTo("/console/login?throttled");
        ConsoleSession buyer = new ConsoleSession(port);
        buyer.get(PortalSecurityConfig.LOGIN);
        assertThat(buyer.post(
                                PortalSecurityConfig.LOGIN,
                                Map.of("username", "demo-buyer-person", "password", "demo-buyer-pass"))
                        .location())
                .isEqualTo("/portal/login?throttled");
        assertThat(buyer.get("/portal/login?throttled").body()).contains("Too many failed sign-ins");
    }
}

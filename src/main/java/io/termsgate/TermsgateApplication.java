package io.termsgate;

import io.termsgate.audit.VerifyLog;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.TimeZone;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * termsgate: decides whether a business buyer may pay an order on net terms.
 *
 * <p>Each top-level package is a module (docs/architecture.md; the structure is verified by {@code ModulesTest}):
 * {@code decision} (checkout's use case and endpoint), {@code request} (the request contract), {@code engine} (the
 * one door to the rules engine), {@code ruleset} (rule files, their versions and lifecycle), {@code audit} (the
 * decision log), {@code backtest}, {@code console}, {@code security} and {@code web} (shared HTTP concerns).
 */
// people sign in through the console's own user store (later); API callers use keys: no generated default user
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
@EnableScheduling
public class TermsgateApplication {

    public static void main(String[] args) {
        Integer status = command(args, System.out, System.err);
        if (status != null) {
            System.exit(status);
        }
        // DRL date attributes are read in the JVM's zone: one zone everywhere keeps replays exact
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        SpringApplication application = new SpringApplication(TermsgateApplication.class);
        // the ruleset compiles while the context starts, not after it
        application.addListeners(new EarlyRulesetCompile());
        application.run(args);
    }

    /**
     * A command run from the jar instead of the service, without Spring: {@code verify-log ...} (the offline
     * verifier, docs/audit.md). Null when the arguments are the service's own.
     */
    static Integer command(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && VerifyLog.COMMAND.equals(args[0])) {
            return VerifyLog.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        return null;
    }
}

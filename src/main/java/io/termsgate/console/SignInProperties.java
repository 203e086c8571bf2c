package io.termsgate.console;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How sign-in (console and portal) slows down guessing: after {@code failuresPerName} failed sign-ins for one name, or
 * {@code failuresPerAddress} from one client address, each further try waits {@code firstDelay}, then twice as long
 * after each further failure, up to {@code maxDelay}; failures are forgotten once {@code window} passes without one.
 *
 * @param failuresPerAddress higher than per name: people behind one office's address share it
 */
@Validated
@ConfigurationProperties("termsgate.console.sign-in")
record SignInProperties(
        @Positive Integer failuresPerName,
        @Positive Integer failuresPerAddress,
        Duration window,
        Duration firstDelay,
        Duration maxDelay) {

    SignInProperties {
        failuresPerName = failuresPerName == null ? 5 : failuresPerName;
        failuresPerAddress = failuresPerAddress == null ? 20 : failuresPerAddress;
        window = window == null ? Duration.ofMinutes(15) : window;
        firstDelay = firstDelay == null ? Duration.ofSeconds(1) : firstDelay;
        maxDelay = maxDelay == null ? Duration.ofMinutes(15) : maxDelay;
    }

    static SignInProperties defaults() {
        return new SignInProperties(null, null, null, null, null);
    }
}

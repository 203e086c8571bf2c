package io.termsgate.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: a real browser with a fresh profile and no
 * network but this machine's. Under CI (CI=true) the browser must be there (.ci/run installs it) and a missing one
 * fails the test; elsewhere the test is reported as aborted, loudly, never silently passed.
 */
final class Chromium {

    static final File BINARY = new File("/usr/bin/chromium");
    static final File DRIVER = new File("/usr/bin/chromedriver");
    /** Modest screenshots: the window size of a laptop. */
    static final Dimension WINDOW = new Dimension(1280, 900);

    private Chromium() {}

    static boolean installed() {
        return BINARY.canExecute() && DRIVER.canExecute();
    }

    static ChromeDriver start(Path profile) {
        if (!installed()) {
            String missing = "Chromium and chromedriver (" + BINARY + ", " + DRIVER + ") are not installed: "
                    + "apt-get install -y chromium chromium-driver";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(
                        missing + ". The console's browser tests must run under CI; " + ".ci/run installs them.");
            }
            System.err.println("\n*** THE CONSOLE'S BROWSER TESTS DID NOT RUN. " + missing + " ***\n");
            Assumptions.abort(missing + ": the console's browser tests did not run");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--lang=en-GB",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--window-size=" + WINDOW.getWidth() + "," + WINDOW.getHeight());
        // what the pages log (script errors, refused content-security-policy loads) is read back by the tests
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER)
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** Errors the pages logged since the last call: script errors, blocked loads, content-security-policy refusals. */
    static List<String> errors(ChromeDriver driver) {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /**
     * A PNG of what the browser shows, into target/console-screenshots, or into the folder named by the system
     * property {@code console.screenshots} (docs/console to refresh the documentation's pictures).
     */
    static void screenshot(ChromeDriver driver, String name) {
        Path dir = Path.of(System.getProperty("console.screenshots", "target/console-screenshots"));
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.termsgate.operations;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's buildah (and debootstrap, for the local base image): builds and runs the repository's Dockerfile
 * without a Docker engine, as root with chroot isolation on the host's network. Under CI (CI=true) both must be
 * there (.ci/run installs them) and a missing one fails the test; elsewhere the test is reported as aborted,
 * loudly, never silently passed.
 */
final class Buildah {

    static final File BUILDAH = new File("/usr/bin/buildah");
    static final File DEBOOTSTRAP = new File("/usr/sbin/debootstrap");

    private Buildah() {}

    static void require() throws IOException {
        String why;
        if (!BUILDAH.canExecute() || !DEBOOTSTRAP.canExecute()) {
            why = "buildah and debootstrap (" + BUILDAH + ", " + DEBOOTSTRAP + ") are not installed: "
                    + "apt-get install -y buildah debootstrap";
        } else if (!runsAsRoot()) {
            why = "the container image test needs root (debootstrap, buildah's chroot isolation)";
        } else {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why + ". The container image test must run under CI; .ci/run installs "
                    + "buildah and debootstrap.");
        }
        System.err.println("\n*** THE CONTAINER IMAGE TEST DID NOT RUN. " + why + " ***\n");
        Assumptions.abort(why + ": the container image test did not run");
    }

    private static boolean runsAsRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(line -> line.matches("Uid:\\s+0\\s.*"));
    }

    /** Runs a command to its end, its output into {@code log}; fails with the log's tail unless it exits with 0. */
    static String run(Path log, Duration timeout, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException(
                    String.join(" ", command) + " did not finish in " + timeout + ":\n" + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + tail(log));
        }
        return Files.readString(log);
    }

    /** Starts {@code buildah run} in the background; the command's output goes into {@code log}. */
    static Process start(Path log, List<String> options, String container, List<String> command) throws IOException {
        List<String> line = new ArrayList<>(List.of(BUILDAH.toString(), "run", "--isolation", "chroot"));
        line.addAll(options);
        line.add(container);
        line.add("--");
        line.addAll(command);
        return new ProcessBuilder(line)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}

package io.termsgate.operations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.support.Http;
import io.termsgate.support.PolicyExamples;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The image the Dockerfile builds, as written, started the way a container runtime starts it: its entrypoint, its
 * working directory, its user. The base images are a local Debian bookworm with Debian's OpenJDK 17
 * (src/test/container/build-image.sh), because the eclipse-temurin images cannot be pulled here.
 *
 * <p>The image sets SPRING_PROFILES_ACTIVE=prod, which refuses to start with the demo API keys and console users;
 * the test overrides it to the embedded defaults (H2 under /opt/termsgate/data, the image's default ruleset, the
 * demo keys) so that it needs no database and no secrets. Everything else is the image's own.
 */
class ContainerImageIT {

    private static final String IMAGE = "localhost/termsgate:it";
    private static final Path WORK = Path.of("target", "container-image");

    @Test
    void theImageFromTheDockerfileStartsAsItsUnprivilegedUserAndDecides() throws Exception {
        Buildah.require();
        Files.createDirectories(WORK);
        Buildah.run(WORK.resolve("build.log"), Duration.ofMinutes(20), "src/test/container/build-image.sh", IMAGE);
        JsonNode config = PolicyExamples.JSON
                .readTree(buildah("inspect", "--type", "image", IMAGE))
                .at("/OCIv1/config");
        List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(part -> entrypoint.add(part.asText()));

        String container = buildah("from", "--quiet", "--name", "termsgate-it-" + UUID.randomUUID(), IMAGE)
                .strip();
        try {
            // the uid the image's USER resolves to, by the image's own /etc/passwd
            int imageUid = Integer.parseInt(buildah("run", "--isolation", "chroot", container, "--", "id", "-u")
                    .strip());
            assertThat(imageUid).as("the image's user").isNotZero();

            int port = freePort();
            Process service = Buildah.start(
                    WORK.resolve("service.log"),
                    List.of("--env", "SPRING_PROFILES_ACTIVE=default", "--env", "PORT=" + port),
                    container,
                    entrypoint);
            try {
                Http http = new Http(port);
                awaitHealthy(service, http, Duration.ofMinutes(3));

                assertThat(http.get("/actuator/health", null)
                                .json()
                                .get("status")
                                .asText())
                        .isEqualTo("UP");
                ProcessHandle jvm = service.descendants()
                        .filter(p -> p.info().command().orElse("").endsWith("/java"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no java process under buildah run"));
                assertThat(uids(jvm))
                        .as("real, effective, saved and filesystem uid of the JVM")
                        .containsOnly(imageUid);

                PolicyExamples.Example example = PolicyExamples.byCustomerId("EX-01");
                Http.Response decided = http.postJson(
                        "/api/v1/credit-decisions",
                        "demo-checkout",
                        example.request().toString());
                assertThat(decided.status()).as(decided.toString()).isEqualTo(201);
                assertThat(decided.json().get("outcome").asText())
                        .isEqualTo(example.expected().get("outcome").asText());
            } finally {
                stop(service);
            }
        } finally {
            buildah("rm", container);
        }
    }

    private static String buildah(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = Buildah.BUILDAH.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return Buildah.run(WORK.resolve("buildah-" + args[0] + ".log"), Duration.ofMinutes(2), command);
    }

    private static void awaitHealthy(Process service, Http http, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the container exited with " + service.exitValue() + ":\n"
                        + Buildah.tail(WORK.resolve("service.log")));
            }
            try {
                if (http.get("/actuator/health", null).status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the container did not become healthy in " + timeout + ":\n"
                + Buildah.tail(WORK.resolve("service.log")));
    }

    /** The Uid line of /proc/<pid>/status: real, effective, saved set and filesystem uid. */
    private static List<Integer> uids(ProcessHandle process) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                .filter(line -> line.startsWith("Uid:"))
                .flatMap(line -> Arrays.stream(line.substring(4).trim().split("\\s+")))
                .map(Integer::valueOf)
                .toList();
    }

    /** SIGTERM to buildah run, which passes it on to the JVM; what is left after 30 s is killed. */
    private static void stop(Process service) throws InterruptedException {
        List<ProcessHandle> tree = service.descendants().toList();
        service.destroy();
        if (!service.waitFor(30, TimeUnit.SECONDS)) {
            service.destroyForcibly();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package io.termsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The modules and their faces, checked on the code: every top-level package is a module; another module may use
 * only its base package's public types and the sub-packages it names as interfaces ({@code package-info.java}), and
 * no two modules depend on each other in a cycle. The module pictures in {@code docs/modules} are drawn from the
 * code by this test, so they cannot go stale: a change of structure fails here until the pictures are refreshed
 * ({@code ./mvnw test -Dtest=ModulesTest -Dmodules.write=true}).
 */
class ModulesTest {

    private static final ApplicationModules MODULES = ApplicationModules.of(TermsgateApplication.class);
    private static final Path DOCS = Path.of("docs", "modules");

    @Test
    void noModuleReachesIntoAnothersInternals() {
        MODULES.verify();
    }

    @Test
    void theModulePicturesInDocsAreDrawnFromTheCode() throws IOException {
        Path drawn = Path.of("target", "modules");
        new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(drawn.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();
        if (Boolean.getBoolean("modules.write")) {
            Files.createDirectories(DOCS);
            try (Stream<Path> old = Files.list(DOCS)) {
                for (Path file : old.filter(f -> f.toString().endsWith(".puml")).toList()) {
                    Files.delete(file);
                }
            }
            try (Stream<Path> fresh = Files.list(drawn)) {
                for (Path file :
                        fresh.filter(f -> f.toString().endsWith(".puml")).toList()) {
                    Files.copy(file, DOCS.resolve(file.getFileName()));
                }
            }
        }
        assertThat(pictures(DOCS))
                .as("docs/modules is stale: run ./mvnw test -Dtest=ModulesTest " + "-Dmodules.write=true and commit it")
                .isEqualTo(pictures(drawn));
    }

    private static Map<String, String> pictures(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> list = Files.list(dir)) {
                for (Path file :
                        list.filter(f -> f.toString().endsWith(".puml")).toList()) {
                    // the documenter lists modules and relations in no fixed order: compare them as sets of lines
                    files.put(
                            file.getFileName().toString(),
                            String.join(
                                    "\n",
                                    Files.readString(file)
                                            .replace("\r\n", "\n")
                                            .lines()
                                            .sorted()
                                            .toList()));
                }
            }
        }
        return files;
    }
}

package io.termsgate.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The credit analysts' real spreadsheet tool, run headless: a file saved by LibreOffice Calc is what the service
 * will be given in practice. Under CI (CI=true) LibreOffice must be installed (.ci/run installs it); elsewhere a
 * test that needs it is reported as aborted, not silently passed.
 */
public final class LibreOffice {

    private LibreOffice() {}

    public static boolean installed() {
        return executable() != null;
    }

    /** Opens {@code bytes} in LibreOffice and saves them again as {@code format} (e.g. "xlsx"). */
    public static byte[] resave(byte[] bytes, String format) throws IOException, InterruptedException {
        String soffice = executable();
        if (soffice == null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("LibreOffice (soffice) is required under CI; .ci/run installs it");
            }
            Assumptions.abort("LibreOffice is not installed here (apt-get install libreoffice-calc)");
        }
        Path dir = Files.createTempDirectory("libreoffice");
        Path in = dir.resolve("in." + format);
        Files.write(in, bytes);
        Path out = Files.createDirectories(dir.resolve("out"));
        Process process = new ProcessBuilder(List.of(
                        soffice,
                        "--headless",
                        "--norestore",
                        "--nolockcheck",
                        "-env:UserInstallation=" + dir.resolve("profile").toUri(),
                        "--convert-to",
                        format,
                        "--outdir",
                        out.toString(),
                        in.toString()))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("soffice.log").toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("LibreOffice did not finish converting in 2 minutes");
        }
        Path result = out.resolve("in." + format);
        if (!Files.exists(result)) {
            throw new IllegalStateException(
                    "LibreOffice wrote nothing: " + Files.readString(dir.resolve("soffice.log")));
        }
        return Files.readAllBytes(result);
    }

    private static String executable() {
        for (String candidate :
                List.of("/usr/bin/soffice", "/usr/bin/libreoffice", "/usr/lib/libreoffice/program/soffice")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        return null;
    }
}

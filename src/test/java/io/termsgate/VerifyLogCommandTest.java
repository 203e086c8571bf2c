package io.termsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar termsgate.jar verify-log ...} runs the offline verifier instead of the service (no Spring), and the
 * verifier takes an export without its trailer, or with one that does not add up, for a truncated file.
 */
class VerifyLogCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void theServiceArgumentsAreNotACommand() {
        assertThat(TermsgateApplication.command(new String[] {"--server.port=0"}, print(out), print(err)))
                .isNull();
        assertThat(TermsgateApplication.command(new String[0], print(out), print(err)))
                .isNull();
    }

    @Test
    void verifyLogWithoutItsOptionsIsUsage() {
        assertThat(TermsgateApplication.command(new String[] {"verify-log"}, print(out), print(err)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: verify-log --public-key");
    }

    @Test
    void aWholeExportIsValidAndACutOneIsTruncated() throws Exception {
        String previous = "0".repeat(64);
        String canonical = "[1,\"a record\"]";
        String hash = sha256(previous + canonical);
        String header = "decision_id,seq,hash,previous_hash,canonical\r\n";
        String row = "x,1," + hash + "," + previous + ",\"" + canonical.replace("\"", "\"\"") + "\"\r\n";
        String whole = header + row + "#end,rows=1,last_hash=" + hash + "\r\n";

        assertThat(run(whole)).as(out.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("valid: 1 records, 0 checkpoints");

        for (String cut : new String[] {
            header + row, // the trailer never came
            whole.substring(0, whole.length() - 10), // cut inside the trailer
            header + row + "#end,rows=2,last_hash=" + hash + "\r\n", // a record went missing
            header + "#end,rows=1,last_hash=" + hash + "\r\n",
            header + row + "#end,rows=1,last_hash=" + "f".repeat(64) + "\r\n"
        }) {
            out.reset();
            assertThat(run(cut)).as(cut).isEqualTo(1);
            assertThat(out.toString(StandardCharsets.UTF_8)).as(cut).contains("the export is truncated");
        }
    }

    private int run(String export) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path key = Files.writeString(
                dir.resolve("key.pem"),
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(pair.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        Path file = Files.writeString(dir.resolve("export.csv"), export);
        return TermsgateApplication.command(
                new String[] {
                    "verify-log",
                    "--public-key",
                    key.toString(),
                    "--checkpoints",
                    checkpoints.toString(),
                    "--export",
                    file.toString()
                },
                print(out),
                print(err));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

package io.termsgate.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The signed checkpoints' format, and the offline verifier an auditor runs with nothing but a JDK 17, the public key,
 * the checkpoint files and a full CSV export of the log. It uses no other class of the service, so it also runs as a
 * single source file:
 *
 * <pre>
 * java VerifyLog.java --public-key key.pem --checkpoints dir --export credit-decisions.csv
 * java -jar termsgate.jar verify-log --public-key key.pem --checkpoints dir --export credit-decisions.csv
 * </pre>
 *
 * The export must end with its trailer line ({@code #end,rows=N,last_hash=H}): a file without it, or whose count or
 * last hash differ, was cut short and is reported as truncated.
 *
 * Exit status 0 when everything holds, 1 with the first problem otherwise, 2 on bad arguments.
 */
public final class VerifyLog {

    /** Checkpoint files: one per UTC day, one JSON line per checkpoint. */
    public static final String FILE_PREFIX = "checkpoints-";

    public static final String FILE_SUFFIX = ".jsonl";

    /** What an instance id may contain: it goes into the signed text and the file unescaped. */
    public static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private static final Pattern LINE = Pattern.compile(
            "\\{\"seq\":(\\d+),\"hash\":\"([0-9a-f]{64})\",\"at\":\"([0-9TZ:.-]+)\","
                    + "\"instance\":\"([A-Za-z0-9._:-]{1,64})\",\"keyId\":\"([0-9a-f]{64})\",\"signature\":\"([A-Za-z0-9+/=]+)\"}");

    private VerifyLog() {}

    /** One signed checkpoint: the decision log's chain reached {@code seq} with {@code hash}, seen at {@code at}. */
    public record Checkpoint(long seq, String hash, String at, String instance, String keyId, String signature) {

        /** The exact text signed (UTF-8): a JSON array, no spaces. */
        public String canonical() {
            return canonical(seq, hash, at, instance, keyId);
        }

        public static String canonical(long seq, String hash, String at, String instance, String keyId) {
            return "[\"termsgate-checkpoint/1\",\"decisions\"," + seq + ",\"" + hash + "\",\"" + at + "\",\"" + instance
                    + "\",\"" + keyId + "\"]";
        }

        /** Its line in a checkpoint file (without the line break). */
        public String line() {
            return "{\"seq\":" + seq + ",\"hash\":\"" + hash + "\",\"at\":\"" + at + "\",\"instance\":\"" + instance
                    + "\",\"keyId\":\"" + keyId + "\",\"signature\":\"" + signature + "\"}";
        }

        /** The checkpoint on a line of a file, or null when the line is not one. */
        public static Checkpoint parse(String line) {
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                return null;
            }
            return new Checkpoint(
                    Long.parseLong(m.group(1)), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
        }

        public boolean verifies(PublicKey key) {
            try {
                Signature ed25519 = Signature.getInstance("Ed25519");
                ed25519.initVerify(key);
                ed25519.update(canonical().getBytes(StandardCharsets.UTF_8));
                return ed25519.verify(Base64.getDecoder().decode(signature));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** A checkpoint where it was read: file name and line number (from 1). */
    public record Filed(String file, int line, Checkpoint checkpoint) {}

    /** What is wrong, naming the checkpoint (file and seq) when a checkpoint shows it. */
    public record Problem(String file, Long seq, String reason) {
        @Override
        public String toString() {
            return (file == null ? "" : file + ": ") + (seq == null ? "" : "checkpoint seq " + seq + ": ") + reason;
        }
    }

    /** The public key from PEM (SubjectPublicKeyInfo, {@code -----BEGIN PUBLIC KEY-----}). */
    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(pemBytes(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    static byte[] pemBytes(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }

    /** The key id: SHA-256 of the public key's encoding (SubjectPublicKeyInfo DER), hex. */
    public static String keyId(PublicKey key) {
        return sha256(key.getEncoded());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every checkpoint in the directory's files, in file name then line order. The first line that is not a
     * checkpoint, is signed by another key or whose signature fails is the problem; the checkpoints before it are
     * returned.
     */
    public static List<Filed> read(Path dir, PublicKey key, Problem[] problem) {
        List<Filed> all = new ArrayList<>();
        String keyId = keyId(key);
        if (!Files.isDirectory(dir)) {
            return all;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().startsWith(FILE_PREFIX)
                            && p.getFileName().toString().endsWith(FILE_SUFFIX))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isEmpty() && i == lines.size() - 1) {
                    continue;
                }
                Checkpoint c = Checkpoint.parse(lines.get(i));
                if (c == null) {
                    problem[0] =
                            new Problem(name, null, "line " + (i + 1) + " is not a checkpoint: the file was altered");
                    return all;
                }
                if (!c.keyId().equals(keyId)) {
                    problem[0] = new Problem(name, c.seq(), "signed by another key (" + c.keyId() + ")");
                    return all;
                }
                if (!c.verifies(key)) {
                    problem[0] = new Problem(name, c.seq(), "its signature does not verify: the line was altered");
                    return all;
                }
                all.add(new Filed(name, i + 1, c));
            }
        }
        return all;
    }

    /** What the offline verification found. */
    public record Result(long records, int checkpointsChecked, Problem problem) {
        public boolean valid() {
            return problem == null;
        }
    }

    /**
     * Verifies a full CSV export of the log ({@code GET /api/v1/credit-decisions/export} without filters) against the
     * checkpoint files: every record's hash is recomputed from its {@code previous_hash} and {@code canonical}
     * columns, every record links to the one before (seq 1 to the last, no gaps), and the chain passes through every
     * checkpoint (the record at its seq has its hash; the export reaches its seq).
     */
    public static Result verify(PublicKey key, Path checkpointDir, String csv) {
        Problem[] fileProblem = new Problem[1];
        List<Filed> checkpoints = read(checkpointDir, key, fileProblem);
        if (fileProblem[0] != null) {
            return new Result(0, checkpoints.size(), fileProblem[0]);
        }
        List<List<String>> rows = csv(csv);
        if (rows.isEmpty()) {
            return new Result(0, 0, new Problem(null, null, "the export has no header"));
        }
        Problem truncated = trailerProblem(rows, csv);
        if (truncated != null) {
            return new Result(0, 0, truncated);
        }
        rows = rows.subList(0, rows.size() - 1);
        List<String> header = rows.get(0);
        int seqColumn = header.indexOf("seq");
        int hashColumn = header.indexOf("hash");
        int previousColumn = header.indexOf("previous_hash");
        int canonicalColumn = header.indexOf("canonical");
        if (seqColumn < 0 || hashColumn < 0 || previousColumn < 0 || canonicalColumn < 0) {
            return new Result(0, 0, new Problem(null, null, "the export lacks seq, hash, previous_hash or canonical"));
        }
        Map<Long, String> hashes = new TreeMap<>();
        Map<Long, String[]> links = new TreeMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            long seq = Long.parseLong(row.get(seqColumn));
            String hash = row.get(hashColumn);
            String previous = row.get(previousColumn);
            String canonical = row.get(canonicalColumn);
            if (!canonical.startsWith("[" + seq + ",")) {
                return new Result(0, 0, new Problem(null, seq, "record " + seq + "'s canonical text is not its own"));
            }
            if (!hash.equals(link(previous, canonical))) {
                return new Result(0, 0, new Problem(null, seq, "record " + seq + " does not match its hash: altered"));
            }
            hashes.put(seq, hash);
            links.put(seq, new String[] {previous, hash});
        }
        String expectedPrevious = "0".repeat(64);
        long expectedSeq = 1;
        for (Map.Entry<Long, String[]> e : links.entrySet()) {
            if (e.getKey() != expectedSeq) {
                return new Result(
                        links.size(),
                        0,
                        new Problem(
                                null,
                                expectedSeq,
                                "record " + expectedSeq
                                        + " is missing from the export (export the whole log, without filters)"));
            }
            if (!e.getValue()[0].equals(expectedPrevious)) {
                return new Result(
                        links.size(),
                        0,
                        new Problem(
                                null,
                                e.getKey(),
                                "record " + e.getKey() + "'s previous hash is not record " + (e.getKey() - 1)
                                        + "'s hash"));
            }
            expectedPrevious = e.getValue()[1];
            expectedSeq++;
        }
        long last = expectedSeq - 1;
        int checked = 0;
        for (Filed f : checkpoints) {
            Checkpoint c = f.checkpoint();
            if (c.seq() > last) {
                return new Result(
                        links.size(),
                        checked,
                        new Problem(
                                f.file(),
                                c.seq(),
                                "the log ends at seq " + last
                                        + ", before this checkpoint: records were cut off the end"));
            }
            if (!c.hash().equals(hashes.get(c.seq()))) {
                return new Result(
                        links.size(),
                        checked,
                        new Problem(
                                f.file(),
                                c.seq(),
                                "record " + c.seq() + " no longer has the checkpoint's hash: the chain was rewritten"));
            }
            checked++;
        }
        return new Result(links.size(), checked, null);
    }

    /** The last line of a CSV export: {@code #end,rows=N,last_hash=H} (H empty when N is 0). */
    public static final String TRAILER = "#end";

    private static final Pattern ROWS = Pattern.compile("rows=(\\d{1,18})");
    private static final Pattern LAST_HASH = Pattern.compile("last_hash=([0-9a-f]{64})?");

    /**
     * Null when the export ends with its trailer, line break included, and the trailer's row count and last hash
     * are the export's: anything else is a file cut short (or added to).
     */
    static Problem trailerProblem(List<List<String>> rows, String text) {
        List<String> trailer = rows.get(rows.size() - 1);
        if (rows.size() < 2 || trailer.size() != 3 || !trailer.get(0).equals(TRAILER) || !text.endsWith("\r\n")) {
            return new Problem(
                    null, null, "the export is truncated: it does not end with its " + TRAILER + " trailer line");
        }
        Matcher count = ROWS.matcher(trailer.get(1));
        Matcher hash = LAST_HASH.matcher(trailer.get(2));
        if (!count.matches() || !hash.matches()) {
            return new Problem(null, null, "the export is truncated: its trailer line is incomplete");
        }
        long records = rows.size() - 2;
        if (Long.parseLong(count.group(1)) != records) {
            return new Problem(
                    null,
                    null,
                    "the export is truncated: its trailer says " + count.group(1) + " records, it holds " + records);
        }
        String lastHash = hash.group(1) == null ? "" : hash.group(1);
        int hashColumn = rows.get(0).indexOf("hash");
        String last =
                records == 0 || hashColumn < 0 ? "" : rows.get(rows.size() - 2).get(hashColumn);
        if (!lastHash.equals(last)) {
            return new Problem(
                    null, null, "the export is truncated: its last record's hash is not the one its trailer names");
        }
        return null;
    }

    static String link(String previousHash, String canonical) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha256.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 4180 rows; a cell prefixed with an apostrophe against spreadsheets is read as written. */
    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\r' || ch == '\n') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(ch);
            }
        }
        if (cell.length() > 0 || !row.isEmpty()) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }

    /** The command that runs this verifier from the service's jar: {@code java -jar termsgate.jar verify-log ...}. */
    public static final String COMMAND = "verify-log";

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the verifier: the exit status (0 valid, 1 invalid, 2 bad arguments or unreadable files). */
    public static int run(String[] args, java.io.PrintStream out, java.io.PrintStream err) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (args.length != 6
                || !options.keySet().equals(java.util.Set.of("--public-key", "--checkpoints", "--export"))) {
            err.println("usage: " + COMMAND + " --public-key key.pem --checkpoints dir --export credit-decisions.csv");
            return 2;
        }
        PublicKey key;
        String export;
        try {
            key = publicKey(Files.readString(Path.of(options.get("--public-key"))));
            export = Files.readString(Path.of(options.get("--export")), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            err.println("cannot read the key or the export: " + e.getMessage());
            return 2;
        }
        Result result = verify(key, Path.of(options.get("--checkpoints")), export);
        if (result.valid()) {
            out.println("valid: " + result.records() + " records, " + result.checkpointsChecked() + " checkpoints, key "
                    + keyId(key));
            return 0;
        }
        out.println("INVALID: " + result.problem());
        return 1;
    }
}

package io.termsgate.audit;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The link of every hash chain the service keeps (the decision log, the credit lines' hold ledger):
 * {@code SHA-256(previousHash as ASCII hex || canonical text as UTF-8)}, the canonical text a JSON array built with
 * {@link #string}.
 */
public final class ChainHash {

    /** The hash before a chain's first entry. */
    public static final String GENESIS = "0".repeat(64);

    private ChainHash() {}

    public static String link(String previousHash, String canonical) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previousHash.getBytes(StandardCharsets.US_ASCII));
            sha256.update(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends {@code ,"value"} (escaped as a JSON string) or {@code ,null}: one member of a canonical array. */
    public static void string(StringBuilder json, String value) {
        json.append(',');
        if (value == null) {
            json.append("null");
        } else {
            json.append('"');
            JsonStringEncoder.getInstance().quoteAsString(value, json);
            json.append('"');
        }
    }
}

package io.termsgate.audit;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Walks a hash chain kept beside the decision log (the hold ledger, the referrals' events) from its first entry up to
 * its head: each entry's hash recomputed from its stored columns, each linked to the one before, the chain ending
 * where its head says. Entries appended while it runs are left for the next walk.
 */
public final class ChainWalk {

    /** One entry of such a chain. */
    public interface Link {
        long seq();

        String previousHash();

        String hash();

        /** Its hash recomputed from its stored columns matches the stored one. */
        boolean verifies();
    }

    /** How the chain's entries are named in a problem: "entry" / "entries" and whose head, "the ledger's". */
    public record Names(String entry, String entries, String head) {}

    /** Valid, or the first entry that breaks the chain and why. */
    public record Result(boolean valid, long checked, Long firstInvalidSeq, String problem) {}

    private ChainWalk() {}

    /**
     * @param page entries in chain order from a seq (inclusive), at most a count
     */
    public static Result walk(
            long headSeq, String headHash, BiFunction<Long, Integer, List<? extends Link>> page, Names names) {
        String previous = ChainHash.GENESIS;
        long checked = 0;
        while (checked < headSeq) {
            List<? extends Link> entries = page.apply(checked + 1, (int) Math.min(1000, headSeq - checked));
            if (entries.isEmpty()) {
                break;
            }
            for (Link e : entries) {
                if (e.seq() != checked + 1) {
                    return new Result(false, checked, checked + 1, names.entry() + " " + (checked + 1) + " is missing");
                }
                if (!e.previousHash().equals(previous)) {
                    return new Result(false, checked, e.seq(), "does not link to the " + names.entry() + " before it");
                }
                if (!e.verifies()) {
                    return new Result(false, checked, e.seq(), "its hash does not match its contents");
                }
                previous = e.hash();
                checked++;
            }
        }
        if (checked != headSeq || !headHash.equals(previous)) {
            return new Result(
                    false,
                    checked,
                    checked + 1,
                    names.head() + " head says " + headSeq + " " + names.entries() + ", the chain has " + checked
                            + " that lead to it");
        }
        return new Result(true, checked, null, null);
    }
}

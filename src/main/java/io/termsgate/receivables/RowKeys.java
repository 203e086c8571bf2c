package io.termsgate.receivables;

import java.time.Instant;

/**
 * The (customerId, asOf) keys of the rows read so far, as 64-bit fingerprints with the line each was on: an open
 * addressing table of 12 bytes a slot, so a file of a million rows costs some 24 MB, not its text. Two keys may
 * share a fingerprint, so a match is only a suspicion: the importer confirms it against the rows it has written.
 */
final class RowKeys {

    private long[] keys = new long[1024];
    private int[] lines = new int[1024]; // 0: empty slot (lines start at 1)
    private int size;

    /** The line of an earlier row with the same fingerprint, or 0 after remembering this row's. */
    int putIfAbsent(String customerId, Instant asOf, long line) {
        long key = fingerprint(customerId, asOf);
        int slot = find(keys, lines, key);
        if (lines[slot] != 0) {
            return lines[slot];
        }
        keys[slot] = key;
        lines[slot] = (int) Math.min(line, Integer.MAX_VALUE);
        if (++size * 2 > keys.length) {
            grow();
        }
        return 0;
    }

    private static int find(long[] keys, int[] lines, long key) {
        int mask = keys.length - 1;
        int slot = (int) (key ^ (key >>> 32)) & mask;
        while (lines[slot] != 0 && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldLines = lines;
        keys = new long[oldKeys.length * 2];
        lines = new int[oldLines.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldLines[i] != 0) {
                int slot = find(keys, lines, oldKeys[i]);
                keys[slot] = oldKeys[i];
                lines[slot] = oldLines[i];
            }
        }
    }

    /** FNV-1a over the id's characters, then the instant, through a 64-bit finaliser (MurmurHash3's). */
    static long fingerprint(String customerId, Instant asOf) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < customerId.length(); i++) {
            h = (h ^ customerId.charAt(i)) * 0x100000001b3L;
        }
        h = (h ^ asOf.getEpochSecond()) * 0x100000001b3L;
        h = (h ^ asOf.getNano()) * 0x100000001b3L;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb93fe51a875bL;
        h ^= h >>> 33;
        return h;
    }
}

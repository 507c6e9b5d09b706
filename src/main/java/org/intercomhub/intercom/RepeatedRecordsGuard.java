package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Stops a listing whose server serves again records it has already served: the loop that turned Airbyte's 253
 * companies into 4M records (a cache in front of the scroll answered every call with the same page).
 *
 * <p>It keys on what comes back, not on the paging token, because a token may legitimately repeat: the companies
 * scroll returns one {@code scroll_param} for the whole scroll. A page that is not empty and holds only records
 * already seen stops the listing. What it remembers is a 64-bit hash per record (type and id): of every page of the
 * listing ({@link #acrossListing}, for the scroll, whose size is the workspace's companies), or of the previous page
 * only ({@link #acrossOnePage}, constant memory, for listings of any size whose token already moves page by page).
 */
final class RepeatedRecordsGuard {

    private final String listing;
    private final boolean rememberWholeListing;
    private final HashSet64 seen = new HashSet64();
    private int pages;

    private RepeatedRecordsGuard(String listing, boolean rememberWholeListing) {
        this.listing = listing;
        this.rememberWholeListing = rememberWholeListing;
    }

    /** Remembers every record of the listing until {@link #forget()}. */
    static RepeatedRecordsGuard acrossListing(String listing) {
        return new RepeatedRecordsGuard(listing, true);
    }

    /** Remembers the records of the previous page only. */
    static RepeatedRecordsGuard acrossOnePage(String listing) {
        return new RepeatedRecordsGuard(listing, false);
    }

    /** Throws when this page is not empty and every one of its records was served before. */
    void check(List<JsonNode> items) {
        if (items.isEmpty()) {
            return;
        }
        long[] keys = new long[items.size()];
        boolean allSeen = true;
        for (int i = 0; i < keys.length; i++) {
            keys[i] = keyOf(items.get(i));
            allSeen &= seen.contains(keys[i]);
        }
        if (allSeen && pages > 0) {
            throw new IntercomPaginationException(listing + " served page " + (pages + 1) + " with " + keys.length
                    + " records that were all already read in this listing: the server is repeating pages "
                    + "(a stuck scroll or a caching proxy); stopping instead of looping");
        }
        if (!rememberWholeListing) {
            seen.clear();
        }
        for (long key : keys) {
            seen.add(key);
        }
        pages++;
    }

    /** The listing starts over (a restarted scroll): what it serves again is expected. */
    void forget() {
        seen.clear();
        pages = 0;
    }

    private static long keyOf(JsonNode record) {
        String id = AbstractPager.text(record.get("id"));
        String identity = id == null ? record.toString() : record.path("type").asText("") + ':' + id;
        return fnv1a64(identity.getBytes(StandardCharsets.UTF_8));
    }

    private static long fnv1a64(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** Open addressing over a long[]: 8 to 16 bytes per record instead of a boxed set's ~50. */
    private static final class HashSet64 {
        private static final long EMPTY = 0;
        private long[] slots = new long[64];
        private int size;

        boolean contains(long key) {
            key = nonEmpty(key);
            for (int i = slot(key, slots.length); ; i = (i + 1) & (slots.length - 1)) {
                if (slots[i] == EMPTY) {
                    return false;
                }
                if (slots[i] == key) {
                    return true;
                }
            }
        }

        void add(long key) {
            key = nonEmpty(key);
            if ((size + 1) * 2 > slots.length) {
                grow();
            }
            if (insert(slots, key)) {
                size++;
            }
        }

        void clear() {
            if (size > 0) {
                Arrays.fill(slots, EMPTY);
                size = 0;
            }
        }

        private void grow() {
            long[] bigger = new long[slots.length * 2];
            for (long key : slots) {
                if (key != EMPTY) {
                    insert(bigger, key);
                }
            }
            slots = bigger;
        }

        private static boolean insert(long[] table, long key) {
            for (int i = slot(key, table.length); ; i = (i + 1) & (table.length - 1)) {
                if (table[i] == key) {
                    return false;
                }
                if (table[i] == EMPTY) {
                    table[i] = key;
                    return true;
                }
            }
        }

        private static int slot(long key, int length) {
            return (int) (key ^ (key >>> 32)) & (length - 1);
        }

        private static long nonEmpty(long key) {
            return key == EMPTY ? 1 : key;
        }
    }
}

package org.intercomhub.sandbox;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mutable part of one collection, kept compact so that a workspace of 200,000 contacts costs a few MB:
 * timestamps and a version counter per record, deletion and archive bit sets, an overlay of explicitly set custom
 * attributes and one of standard fields written through the API. Everything else about a record is regenerated
 * from (seed, index, version); records created through the API ({@link #isCreated}) have only what was written.
 *
 * <p>Not thread-safe on its own: {@link SandboxWorkspace} guards it with a read/write lock.
 */
final class RecordTable {

    /** Sort keys offered by {@link #order(SortKey)}. */
    enum SortKey { ID, CREATED_AT, UPDATED_AT }

    private static final int INDEX_BITS = 24;

    private long[] createdAt;
    private long[] updatedAt;
    private long[] generatedUpdatedAt;
    private int[] version;
    private int size;
    private final BitSet deleted = new BitSet();
    private final BitSet archived = new BitSet();
    private final BitSet created = new BitSet();
    private final Map<Integer, Map<String, Object>> fieldOverlay = new HashMap<>();
    private final Map<Integer, Long> deletedAt = new LinkedHashMap<>();
    private final Map<Integer, Map<String, Object>> customOverlay = new HashMap<>();
    private final Map<Integer, long[]> versionTimes = new HashMap<>();
    private long modCount;
    private final Map<SortKey, long[]> orderCache = new HashMap<>();
    private final Map<SortKey, Long> orderCacheModCount = new HashMap<>();

    RecordTable(int initialSize) {
        createdAt = new long[Math.max(initialSize, 1)];
        updatedAt = new long[Math.max(initialSize, 1)];
        generatedUpdatedAt = new long[Math.max(initialSize, 1)];
        version = new int[Math.max(initialSize, 1)];
    }

    int size() { return size; }

    /** Appends a record and returns its index; the way generated and (later) API-created records enter. */
    int append(long created, long updated) {
        if (size == createdAt.length) {
            int n = size * 2;
            createdAt = Arrays.copyOf(createdAt, n);
            updatedAt = Arrays.copyOf(updatedAt, n);
            generatedUpdatedAt = Arrays.copyOf(generatedUpdatedAt, n);
            version = Arrays.copyOf(version, n);
        }
        if (size >= (1 << INDEX_BITS)) {
            throw new IllegalStateException("the sandbox holds at most " + (1 << INDEX_BITS) + " records per collection");
        }
        createdAt[size] = created;
        updatedAt[size] = updated;
        generatedUpdatedAt[size] = updated;
        modCount++;
        return size++;
    }

    long createdAt(int i) { return createdAt[i]; }
    long updatedAt(int i) { return updatedAt[i]; }
    /** updated_at as first generated, before any change: anchors generated history such as conversation parts. */
    long generatedUpdatedAt(int i) { return generatedUpdatedAt[i]; }
    int version(int i) { return version[i]; }

    /** When each version after the first was made (index v-1 for version v); empty for unchanged records. */
    long[] versionTimes(int i) {
        long[] t = versionTimes.get(i);
        return t == null ? new long[0] : t;
    }
    boolean isDeleted(int i) { return deleted.get(i); }
    /** Visible to reads: not deleted and not archived (archived contacts are hidden until unarchived). */
    boolean exists(int i) { return i >= 0 && i < size && !deleted.get(i) && !archived.get(i); }
    /** Not deleted, archived or not: what archive, unarchive and delete act on. */
    boolean present(int i) { return i >= 0 && i < size && !deleted.get(i); }
    boolean isArchived(int i) { return archived.get(i); }
    /** Created through the API rather than generated. */
    boolean isCreated(int i) { return created.get(i); }
    int liveCount() { return size - deleted.cardinality() - archived.cardinality(); }
    long modCount() { return modCount; }

    void touch(int i, long now, boolean newVersion) {
        updatedAt[i] = now;
        if (newVersion) {
            version[i]++;
            long[] old = versionTimes.get(i);
            long[] t = old == null ? new long[1] : Arrays.copyOf(old, old.length + 1);
            t[t.length - 1] = now;
            versionTimes.put(i, t);
        }
        modCount++;
    }

    void markCreated(int i) {
        created.set(i);
        modCount++;
    }

    void setArchived(int i, boolean value) {
        archived.set(i, value);
        modCount++;
    }

    void delete(int i, long now) {
        if (!deleted.get(i)) {
            deleted.set(i);
            archived.clear(i);
            deletedAt.put(i, now);
            modCount++;
        }
    }

    /** Deleted record indexes with their deletion time, in deletion order. */
    Map<Integer, Long> deletions() { return deletedAt; }

    void setCustomAttribute(int i, String name, Object value) {
        customOverlay.computeIfAbsent(i, k -> new LinkedHashMap<>()).put(name, value);
        modCount++;
    }

    /** Sets a standard field written through the API (null is a value: the field was cleared). */
    void setField(int i, String name, Object value) {
        fieldOverlay.computeIfAbsent(i, k -> new LinkedHashMap<>()).put(name, value);
        modCount++;
    }

    boolean hasField(int i, String name) {
        if (fieldOverlay.isEmpty()) {
            return false;
        }
        Map<String, Object> m = fieldOverlay.get(i);
        return m != null && m.containsKey(name);
    }

    Object field(int i, String name) {
        Map<String, Object> m = fieldOverlay.get(i);
        return m == null ? null : m.get(name);
    }

    Map<String, Object> customOverlay(int i) {
        Map<String, Object> m = customOverlay.get(i);
        return m == null ? Map.of() : m;
    }

    /**
     * Record indexes ascending by (key, index), deleted ones included (callers skip them). Cached until the next
     * change, so paging through a search does not sort 200,000 records per page.
     */
    synchronized int[] order(SortKey key) {
        long[] packed = packedOrder(key);
        int[] result = new int[packed.length];
        int mask = (1 << INDEX_BITS) - 1;
        for (int k = 0; k < packed.length; k++) {
            result[k] = (int) (packed[k] & mask);
        }
        return result;
    }

    /** Sorted packed (key << 24 | index) values; binary-searchable with {@link #pack}. */
    synchronized long[] packedOrder(SortKey key) {
        Long cachedAt = orderCacheModCount.get(key);
        long[] cached = orderCache.get(key);
        if (cached != null && cachedAt == modCount) {
            return cached;
        }
        long[] packed = new long[size];
        for (int i = 0; i < size; i++) {
            packed[i] = pack(sortValue(key, i), i);
        }
        Arrays.sort(packed);
        orderCache.put(key, packed);
        orderCacheModCount.put(key, modCount);
        return packed;
    }

    long sortValue(SortKey key, int i) {
        switch (key) {
            case CREATED_AT: return createdAt[i];
            case UPDATED_AT: return updatedAt[i];
            default: return i;
        }
    }

    static long pack(long key, int index) {
        return (key << INDEX_BITS) | index;
    }

    static int unpackIndex(long packed) {
        return (int) (packed & ((1 << INDEX_BITS) - 1));
    }
}

package org.intercomhub.sandbox;

import java.util.function.IntPredicate;

/**
 * One page of a cursor-paginated list or search over a {@link RecordTable}, in a stable order (sort value, then
 * index). Walks the cached sorted order from the cursor's position, so a page costs O(page + skipped) plus one
 * counting pass for total_count.
 */
final class CursorPager {

    record Page(int[] indexes, int total, int pageNumber, int totalPages, String nextCursor) {
    }

    private CursorPager() {
    }

    static Page page(RecordTable table, RecordTable.SortKey key, boolean ascending, IntPredicate matches,
                     int perPage, String startingAfter) {
        Cursor cursor = startingAfter == null || startingAfter.isEmpty() ? null : Cursor.decode(startingAfter);
        long[] order = table.packedOrder(key);
        int total = 0;
        for (int i = 0; i < table.size(); i++) {
            if (table.exists(i) && matches.test(i)) {
                total++;
            }
        }
        int pos;
        if (cursor == null) {
            pos = ascending ? 0 : order.length - 1;
        } else {
            long mark = RecordTable.pack(cursor.sortValue(), cursor.index());
            int found = java.util.Arrays.binarySearch(order, mark);
            // Strictly after the cursor's record in walking direction, whether or not it still sorts there.
            int insertion = found >= 0 ? found : -found - 1;
            pos = ascending ? (found >= 0 ? found + 1 : insertion) : insertion - 1;
        }
        int[] hits = new int[Math.min(perPage, Math.max(total, 0))];
        int n = 0;
        boolean more = false;
        for (; pos >= 0 && pos < order.length; pos += ascending ? 1 : -1) {
            int i = RecordTable.unpackIndex(order[pos]);
            if (!table.exists(i) || !matches.test(i)) {
                continue;
            }
            if (n == hits.length) {
                more = true;
                break;
            }
            hits[n++] = i;
        }
        int[] result = n == hits.length ? hits : java.util.Arrays.copyOf(hits, n);
        int pageNumber = cursor == null ? 1 : cursor.page() + 1;
        int totalPages = Math.max(pageNumber, (total + perPage - 1) / perPage);
        String next = null;
        if (more && n > 0) {
            int last = result[n - 1];
            next = new Cursor(table.sortValue(key, last), last, pageNumber).encode();
        } else {
            totalPages = pageNumber;
        }
        return new Page(result, total, pageNumber, totalPages, next);
    }
}

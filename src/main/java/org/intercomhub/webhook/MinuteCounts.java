package org.intercomhub.webhook;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts of events per clock minute over the last {@code minutes} minutes, kept in memory: the status page's
 * "webhooks per minute". In memory rather than counted from the inbox table because the page asks every few seconds
 * and the inbox keeps processed rows for days (a count by {@code received_at} would scan them); it counts what this
 * instance accepted since it started.
 */
final class MinuteCounts {

    private final long[] minuteOf;
    private final long[] counts;

    MinuteCounts(int minutes) {
        this.minuteOf = new long[minutes];
        this.counts = new long[minutes];
    }

    synchronized void add(long epochMillis) {
        long minute = Math.floorDiv(epochMillis, 60_000L);
        int slot = (int) Math.floorMod(minute, (long) counts.length);
        if (minuteOf[slot] != minute) {
            minuteOf[slot] = minute;
            counts[slot] = 0;
        }
        counts[slot]++;
    }

    /** The last {@code minutes} minutes, oldest first; the last one is the current, unfinished minute. */
    synchronized List<Long> lastMinutes(long nowMillis) {
        long now = Math.floorDiv(nowMillis, 60_000L);
        List<Long> result = new ArrayList<>(counts.length);
        for (long minute = now - counts.length + 1; minute <= now; minute++) {
            int slot = (int) Math.floorMod(minute, (long) counts.length);
            result.add(minuteOf[slot] == minute ? counts[slot] : 0L);
        }
        return result;
    }
}

package org.intercomhub.webhook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MinuteCountsTest {

    static final long MINUTE = 60_000;
    static final long T0 = 29_666_700L * MINUTE; // a whole minute, in 2026

    @Test
    void countsEachClockMinuteOldestFirstWithTheCurrentMinuteLast() {
        MinuteCounts counts = new MinuteCounts(3);
        counts.add(T0 + 1);
        counts.add(T0 + 59_999);
        counts.add(T0 + MINUTE);
        assertThat(counts.lastMinutes(T0 + MINUTE + 5)).containsExactly(0L, 2L, 1L);
        assertThat(counts.lastMinutes(T0 + 2 * MINUTE)).containsExactly(2L, 1L, 0L);
    }

    @Test
    void minutesOlderThanTheWindowAreForgottenAlsoWhenTheirSlotIsReused() {
        MinuteCounts counts = new MinuteCounts(3);
        counts.add(T0);
        counts.add(T0);
        assertThat(counts.lastMinutes(T0 + 3 * MINUTE)).containsExactly(0L, 0L, 0L);
        counts.add(T0 + 3 * MINUTE); // the same slot as T0's minute
        assertThat(counts.lastMinutes(T0 + 3 * MINUTE)).containsExactly(0L, 0L, 1L);
    }
}

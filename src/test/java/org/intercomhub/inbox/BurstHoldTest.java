package org.intercomhub.inbox;

import org.intercomhub.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** When an inbox's processing waits for a burst to pass, and that it never waits longer than the hold. */
class BurstHoldTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final BurstHold hold = new BurstHold("Test", clock, 100, Duration.ofSeconds(30));

    /** {@code rows} arrive over the next second, in two halves, asking between them as the processing thread does. */
    boolean arriveForOneSecond(int rows) {
        hold.arrived(rows / 2);
        clock.advance(Duration.ofMillis(500));
        hold.holdsBack();
        hold.arrived(rows - rows / 2);
        clock.advance(Duration.ofMillis(500));
        return hold.holdsBack();
    }

    @Test
    void processingRunsWhileRowsArriveSlowerThanTheRate() {
        hold.holdsBack();
        for (int second = 0; second < 5; second++) {
            assertThat(arriveForOneSecond(90)).isFalse();
        }
        assertThat(hold.holding()).isFalse();
    }

    @Test
    void processingWaitsDuringABurstAndResumesWhenItEnds() {
        hold.holdsBack();
        assertThat(arriveForOneSecond(500)).isTrue();
        assertThat(hold.holding()).isTrue();
        assertThat(arriveForOneSecond(500)).isTrue();
        // the burst is over: the next sample sees no arrivals
        clock.advance(Duration.ofMillis(500));
        assertThat(hold.holdsBack()).isFalse();
        assertThat(hold.holding()).isFalse();
    }

    @Test
    void aFloodLongerThanTheHoldIsProcessedAndNotHeldAgainUntilTheInboxWasEmpty() {
        hold.holdsBack();
        // held from the first look that saw the burst, half a second in
        for (int second = 1; second <= 30; second++) {
            assertThat(arriveForOneSecond(500)).as("second %d", second).isTrue();
        }
        // 30 s since the hold began: processing runs although the flood goes on
        for (int second = 31; second < 40; second++) {
            assertThat(arriveForOneSecond(500)).as("second %d", second).isFalse();
        }
        // a pause in the flood does not start a new hold: the inbox was not found empty
        clock.advance(Duration.ofSeconds(5));
        hold.holdsBack();
        assertThat(arriveForOneSecond(500)).isFalse();

        // processing caught up: the next burst is held back again
        hold.emptied();
        assertThat(arriveForOneSecond(500)).isTrue();
    }

    @Test
    void aZeroHoldNeverWaits() {
        BurstHold never = new BurstHold("Test", clock, 1, Duration.ZERO);
        never.arrived(1_000_000);
        clock.advance(Duration.ofSeconds(1));
        never.holdsBack();
        never.arrived(1_000_000);
        clock.advance(Duration.ofSeconds(1));
        assertThat(never.holdsBack()).isFalse();
    }
}

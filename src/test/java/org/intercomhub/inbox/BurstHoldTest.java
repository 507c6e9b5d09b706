package org.intercomhub.inbox;

import org.intercomhub.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When an inbox's processing waits for a burst to pass (rows faster than the rate, or requests queueing for their
 * commit), and that it never waits longer than the hold.
 */
class BurstHoldTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final BurstHold hold = new BurstHold("Test", clock, 100, Duration.ofSeconds(30));

    /** {@code rows} arrive over the next second, in two halves, asking between them as the processing thread does. */
    boolean arriveForOneSecond(int rows) {
        store(hold, rows / 2);
        halfASecondLater();
        store(hold, rows - rows / 2);
        return halfASecondLater();
    }

    /** What the processing thread's next look, half a second on, finds. */
    boolean halfASecondLater() {
        clock.advance(Duration.ofMillis(500));
        return hold.holdsBack();
    }

    /** One request storing {@code rows}, alone. */
    static void store(BurstHold hold, int rows) {
        hold.storing(() -> Collections.nCopies(rows, "row"));
    }

    /** {@code requests} requests of one row each, all storing at once (their commit waits until every one has begun). */
    static void storeAtOnce(BurstHold hold, int requests) throws Exception {
        CountDownLatch begun = new CountDownLatch(requests);
        ExecutorService threads = Executors.newFixedThreadPool(requests);
        try {
            List<Future<List<String>>> stored = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                stored.add(threads.submit(() -> hold.storing(() -> {
                    begun.countDown();
                    await(begun);
                    return List.of("row");
                })));
            }
            for (Future<List<String>> request : stored) {
                assertThat(request.get(10, TimeUnit.SECONDS)).hasSize(1);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
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
        assertThat(halfASecondLater()).isFalse();
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
    void requestsQueueingForTheirCommitHoldProcessingBelowTheRate() throws Exception {
        hold.holdsBack();
        // 20 requests in half a second (40 rows/s, under the rate of 100), 10.5 storing at once on average
        storeAtOnce(hold, 20);
        assertThat(halfASecondLater()).isTrue();

        // the hold empties the queue; it lasts while rows keep coming at half the rate it began at (20/s)
        store(hold, 10);
        assertThat(halfASecondLater()).as("20 rows/s, one request at a time").isTrue();
        store(hold, 5);
        assertThat(halfASecondLater()).as("10 rows/s").isFalse();
        assertThat(hold.holding()).isFalse();

        // once released, that rate alone does not hold it again
        store(hold, 10);
        assertThat(halfASecondLater()).isFalse();
    }

    @Test
    void aFewRequestsStoringAtOnceAreNoBurst() throws Exception {
        hold.holdsBack();
        // 15 at once: their mean is 8, but 15 requests in a sample are too few to judge by
        storeAtOnce(hold, 15);
        assertThat(halfASecondLater()).isFalse();
        // 40 one after the other: enough for a sample, but never queueing
        for (int i = 0; i < 40; i++) {
            store(hold, 1);
        }
        assertThat(halfASecondLater()).isFalse();
    }

    @Test
    void aZeroHoldNeverWaits() throws Exception {
        BurstHold never = new BurstHold("Test", clock, 1, Duration.ZERO);
        store(never, 1_000_000);
        clock.advance(Duration.ofSeconds(1));
        never.holdsBack();
        store(never, 1_000_000);
        storeAtOnce(never, 40);
        clock.advance(Duration.ofSeconds(1));
        assertThat(never.holdsBack()).isFalse();
    }
}

package org.intercomhub.cluster;

import org.h2.jdbcx.JdbcDataSource;
import org.intercomhub.sync.BookkeepingSchema;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trigger right after a run ended on this node: Quartz still lists the run's job for a moment (its status said
 * "failed" before the job returned), and the trigger waits for that instead of answering "already running".
 */
class ClusterRunsEndingTest {

    /** Quartz's tables as seen by {@link ClusterRuns#busy}: the job listed for the first {@code polls} looks. */
    static ClusterRuns listedFor(int polls, AtomicInteger looks) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:ending" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return new ClusterRuns(new JdbcTemplate(ds), new BookkeepingSchema(new JdbcTemplate(ds), "hub"), true) {
            @Override
            public boolean busy(String group, String name) {
                return looks.incrementAndGet() <= polls;
            }
        };
    }

    @Test
    void aRunThatJustEndedHereIsWaitedForUntilItsJobLeavesQuartz() {
        AtomicInteger looks = new AtomicInteger();
        assertThat(listedFor(3, looks).busyUnlessEnding("intercom-pull", "contacts", () -> true)).isFalse();
        assertThat(looks).hasValue(4);
    }

    @Test
    void aRunGoingElsewhereIsBusyAtOnce() {
        AtomicInteger looks = new AtomicInteger();
        assertThat(listedFor(3, looks).busyUnlessEnding("intercom-pull", "contacts", () -> false)).isTrue();
        assertThat(looks).hasValue(1);
    }

    @Test
    void aJobListedLongerThanTheWaitIsBusy() {
        AtomicInteger looks = new AtomicInteger();
        assertThat(listedFor(Integer.MAX_VALUE, looks).busyUnlessEnding("intercom-pull", "contacts", () -> true))
                .isTrue();
        assertThat(looks.get()).isBetween(2, (int) (ClusterRuns.ENDING_WAIT_MILLIS / 50) + 2);
    }
}

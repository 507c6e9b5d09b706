package org.intercomhub.cluster;

import org.h2.jdbcx.JdbcDataSource;
import org.intercomhub.sync.BookkeepingSchema;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trigger right after a run ended on this node: Quartz still lists this node's firing of it for a moment (its
 * status said "failed" before the job returned), and the trigger waits for that instead of answering "already
 * running"; another node's firing is busy at once.
 */
class ClusterRunsEndingTest {

    /** Quartz's tables as {@link ClusterRuns#firings} reads them: this node's firing listed for {@code polls} looks. */
    static ClusterRuns listed(int polls, long elsewhere, AtomicInteger looks) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:ending" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return new ClusterRuns(new JdbcTemplate(ds), new BookkeepingSchema(new JdbcTemplate(ds), "hub"), true,
                new ClusterNode("a")) {
            @Override
            protected Firings firings(String group, String name) {
                return new Firings(looks.incrementAndGet() <= polls ? 1 : 0, elsewhere);
            }
        };
    }

    @Test
    void thisNodesFiringOfARunThatJustEndedIsWaitedFor() {
        AtomicInteger looks = new AtomicInteger();
        assertThat(listed(3, 0, looks).busyUnlessEnding("intercom-pull", "contacts", () -> true)).isFalse();
        assertThat(looks).hasValue(4);
    }

    @Test
    void anotherNodesFiringIsBusyAtOnce() {
        AtomicInteger looks = new AtomicInteger();
        assertThat(listed(3, 1, looks).busyUnlessEnding("intercom-pull", "contacts", () -> true)).isTrue();
        assertThat(looks).hasValue(1);
    }

    @Test
    void thisNodesFiringOfARunNotEndedJustNowIsBusyAtOnce() {
        AtomicInteger looks = new AtomicInteger();
        assertThat(listed(3, 0, looks).busyUnlessEnding("intercom-pull", "contacts", () -> false)).isTrue();
        assertThat(looks).hasValue(1);
    }

    @Test
    void aFiringListedLongerThanTheWaitIsBusy() {
        AtomicInteger looks = new AtomicInteger();
        assertThat(listed(Integer.MAX_VALUE, 0, looks).busyUnlessEnding("intercom-pull", "contacts", () -> true))
                .isTrue();
        assertThat(looks.get()).isBetween(2, (int) (ClusterRuns.ENDING_WAIT_MILLIS / 50) + 2);
    }
}

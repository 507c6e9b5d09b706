package org.intercomhub.sync;

import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

import java.time.Instant;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/** hub.pull.lateness: seconds since the run after the last one should have started by its Quartz cron. */
class PullLatenessTest {

    static CronExpression everyQuarterHour() throws Exception {
        CronExpression cron = new CronExpression("0 0/15 * * * ?");
        cron.setTimeZone(TimeZone.getTimeZone("UTC"));
        return cron;
    }

    @Test
    void onTimeUntilTheNextFiringIsDue() throws Exception {
        Instant lastStart = Instant.parse("2026-03-01T10:00:00.120Z");
        assertThat(SyncStatusBoard.lateSeconds(everyQuarterHour(), lastStart, Instant.parse("2026-03-01T10:14:59Z")))
                .isZero();
        assertThat(SyncStatusBoard.lateSeconds(everyQuarterHour(), lastStart, Instant.parse("2026-03-01T10:15:00Z")))
                .isZero();
    }

    @Test
    void lateBySecondsSinceTheMissedFiring() throws Exception {
        Instant lastStart = Instant.parse("2026-03-01T10:00:00.120Z");
        assertThat(SyncStatusBoard.lateSeconds(everyQuarterHour(), lastStart, Instant.parse("2026-03-01T10:15:42Z")))
                .isEqualTo(42);
        // two firings missed: counted from the first one
        assertThat(SyncStatusBoard.lateSeconds(everyQuarterHour(), lastStart, Instant.parse("2026-03-01T10:40:00Z")))
                .isEqualTo(25 * 60);
    }
}

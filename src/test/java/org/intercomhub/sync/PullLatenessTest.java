package org.intercomhub.sync;

import org.intercomhub.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.Map;
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

    @Test
    void theStatusShowsEachCollectionsNextRunAndHowLateItIs() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:07:30Z"));
        JdbcTemplate noDatabase = new JdbcTemplate(); // schedules() reads no table
        BookkeepingSchema schema = new BookkeepingSchema(noDatabase, "hub");
        SyncStatusBoard board = new SyncStatusBoard(new CheckpointStore(noDatabase, schema), noDatabase, schema, clock,
                new SimpleMeterRegistry());
        board.schedule("contacts", "0 0/15 * * * ?");
        board.schedule("tags", "0 0/15 * * * ?");

        Map<String, Object> contacts = board.schedules().get("contacts");
        assertThat(contacts).containsEntry("cron", "0 0/15 * * * ?").containsEntry("next_run_at", "2026-03-01T10:15:00Z")
                .containsEntry("late_seconds", 0L).containsEntry("late", false);

        // the 10:15 run did not start (the scheduler was stopped): late, and the next firing is 10:30
        clock.set(Instant.parse("2026-03-01T10:16:40Z"));
        board.disable("tags");
        contacts = board.schedules().get("contacts");
        assertThat(contacts).containsEntry("next_run_at", "2026-03-01T10:30:00Z").containsEntry("late_seconds", 100L)
                .containsEntry("late", true);
        // switched off: no next run, never late
        assertThat(board.schedules().get("tags")).containsEntry("next_run_at", null).containsEntry("late", false);
    }
}

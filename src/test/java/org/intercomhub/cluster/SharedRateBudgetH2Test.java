package org.intercomhub.cluster;

import org.h2.jdbcx.JdbcDataSource;
import org.intercomhub.MutableClock;
import org.intercomhub.sync.BookkeepingSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Two nodes spending one app's budget through the shared row, on the demo's embedded H2: together they never take
 * more than the row had, they take a few requests at a time while plenty is left and one at a time at the end of
 * the window, and what a node took and did not use is dropped when its window ends.
 */
class SharedRateBudgetH2Test {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    JdbcTemplate jdbc;
    SharedRateBudget nodeA;
    SharedRateBudget nodeB;

    @BeforeEach
    void bookkeeping() throws InterruptedException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:budget" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(ds);
        BookkeepingSchema schema = new BookkeepingSchema(jdbc, "hub");
        schema.migrate();
        nodeA = new SharedRateBudget(jdbc, schema, "app", clock);
        nodeB = new SharedRateBudget(jdbc, schema, "app", clock);
        // the first request probes the unknown window; Intercom answers: 1,000 left in a window ending in 10 s
        nodeA.take();
        nodeA.report(200, OptionalLong.of(1000), OptionalLong.of(clock.millis() / 1000 + 10));
    }

    long rowRemaining() {
        return jdbc.queryForObject("SELECT remaining FROM hub.intercom_budget", Long.class);
    }

    @Test
    void nodesTakeAFewAtATimeWhilePlentyIsLeftAndNeverMoreThanTheRowHad() throws InterruptedException {
        nodeA.take();
        assertThat(rowRemaining()).as("A took ten at once, used one").isEqualTo(990);
        nodeB.take();
        assertThat(rowRemaining()).isEqualTo(980);
        for (int n = 0; n < 9; n++) {
            nodeA.take();
        }
        assertThat(rowRemaining()).as("A's nine more came from what it had taken").isEqualTo(980);
        nodeA.take();
        assertThat(rowRemaining()).isEqualTo(970);

        // near the end of the window, one request at a time: nothing is held back from the other nodes
        jdbc.update("UPDATE hub.intercom_budget SET remaining = 15");
        SharedRateBudget nodeC = new SharedRateBudget(jdbc, new BookkeepingSchema(jdbc, "hub"), "app", clock);
        nodeC.take();
        assertThat(rowRemaining()).isEqualTo(14);
        for (int n = 0; n < 14; n++) {
            nodeC.take();
        }
        assertThat(rowRemaining()).as("every request left went out, none twice").isZero();
    }

    @Test
    void theStatusShowsTheRowWhileItsWindowLastsAndNothingKnownAfter() throws InterruptedException {
        nodeA.take();
        String windowEnd = Instant.ofEpochSecond(clock.millis() / 1000 + 10).toString();
        // the same on every node: it is the row's, not what a node holds back
        for (SharedRateBudget node : List.of(nodeA, nodeB)) {
            assertThat(node.status()).containsEntry("window_ends_at", windowEnd).containsEntry("remaining", 990L)
                    .containsEntry("probing", false);
            assertThat(node.remaining()).isEqualTo(990);
        }
        // the window is over: unknown until an answer of the next one; the probe's request shows as probing
        clock.advance(Duration.ofSeconds(11));
        assertThat(nodeB.status()).containsEntry("window_ends_at", null).containsEntry("remaining", null)
                .containsEntry("probing", false);
        assertThat(nodeB.remaining()).isEqualTo(-1);
        nodeA.take();
        assertThat(nodeB.status()).containsEntry("remaining", null).containsEntry("probing", true);
        nodeA.report(200, OptionalLong.of(500), OptionalLong.of(clock.millis() / 1000 + 10));
        assertThat(nodeB.status()).containsEntry("remaining", 500L).containsEntry("probing", false);
    }

    @Test
    void whatANodeTookAndDidNotUseIsDroppedWhenItsWindowEnds() throws InterruptedException {
        nodeA.take();
        assertThat(rowRemaining()).isEqualTo(990);
        // the window is over: A's nine unused requests are not spent in the next one, A probes it instead
        clock.advance(Duration.ofSeconds(11));
        nodeA.take();
        long probeUntil = jdbc.queryForObject("SELECT probe_until FROM hub.intercom_budget", Long.class);
        assertThat(probeUntil).as("A's request is the probe of the new window").isGreaterThan(clock.millis());
        nodeA.report(200, OptionalLong.of(500), OptionalLong.of(clock.millis() / 1000 + 10));
        nodeA.take();
        assertThat(rowRemaining()).as("the new window's own budget, ten taken from it").isEqualTo(490);
    }

    @Test
    void aProbeAnsweredWithoutTheBudgetLetsTheNextRequestProbe() throws InterruptedException {
        clock.advance(Duration.ofSeconds(11));
        nodeA.take();
        // Intercom is down: a 503 without rate-limit headers; B's request probes at once, not after the probe's timeout
        // (the clock stands still here, so without that B would wait for ever)
        nodeA.report(503, OptionalLong.empty(), OptionalLong.empty());
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> nodeB.take());
        long probeUntil = jdbc.queryForObject("SELECT probe_until FROM hub.intercom_budget", Long.class);
        assertThat(probeUntil).as("B's request is the probe now").isGreaterThan(clock.millis());
    }

    @Test
    void answersThatCannotChangeTheRowCostNoStatementAndTheOthersStillChangeIt() throws InterruptedException {
        AtomicInteger updates = new AtomicInteger();
        JdbcTemplate counting = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public int update(String sql, Object... args) {
                updates.incrementAndGet();
                return super.update(sql, args);
            }
        };
        SharedRateBudget node = new SharedRateBudget(counting, new BookkeepingSchema(counting, "hub"), "app", clock);
        long window = clock.millis() / 1000 + 10;
        node.take();
        assertThat(rowRemaining()).isEqualTo(990);

        updates.set(0);
        for (long left = 999; left >= 990; left--) {
            node.report(200, OptionalLong.of(left), OptionalLong.of(window));
        }
        assertThat(updates).as("Intercom counts as many left as the row or more: nothing to write").hasValue(0);

        node.report(200, OptionalLong.of(950), OptionalLong.of(window));
        assertThat(rowRemaining()).as("others spent the budget too: the lower count is kept").isEqualTo(950);
        node.report(200, OptionalLong.of(960), OptionalLong.of(window));
        assertThat(rowRemaining()).as("an answer that arrived late").isEqualTo(950);
        nodeB.report(200, OptionalLong.of(900), OptionalLong.of(window));
        node.report(200, OptionalLong.of(940), OptionalLong.of(window));
        assertThat(rowRemaining()).as("B's lower count stands").isEqualTo(900);
        node.report(200, OptionalLong.of(800), OptionalLong.of(window + 10));
        assertThat(rowRemaining()).as("the next window's budget").isEqualTo(800);

        // in that next window, the bookkeeping schema is reset: the node forgets what it knew of the old row, and the
        // same window's answer (no lower than the count it knew) goes to the new row
        clock.advance(Duration.ofSeconds(11));
        jdbc.update("DELETE FROM hub.intercom_budget");
        node.take();
        node.report(200, OptionalLong.of(900), OptionalLong.of(window + 10));
        assertThat(rowRemaining()).isEqualTo(900);
        assertThat(jdbc.queryForObject("SELECT probe_until FROM hub.intercom_budget", Long.class))
                .as("the answer ended the new row's probe").isZero();
    }
}

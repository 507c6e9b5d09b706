package org.intercomhub.fanout;

import org.h2.jdbcx.JdbcDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.intercomhub.MutableClock;
import org.intercomhub.inbox.ReadFloor;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.warehouse.AlsoCommitted;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox and dead letters on the embedded H2 of the demo run: queue order, settling, backoff, replay. */
class BranchRunnerH2Test {

    /** A branch whose answer the test sets. */
    static final class ScriptedBranch implements Branch {
        final AtomicReference<Outcome> answer = new AtomicReference<>(Outcome.delivered());
        final List<String> seen = new ArrayList<>();

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public boolean accepts(CanonicalRecord record) {
            return !record.collection().equals("tags");
        }

        @Override
        public List<Outcome> deliver(List<CanonicalRecord> records) {
            records.forEach(r -> seen.add(r.id()));
            return records.stream().map(r -> answer.get()).toList();
        }
    }

    static CanonicalRecord record(String id) {
        return CanonicalRecord.upsert("contacts", id, Source.PULL, 1L, Map.of("id", id), Map.of());
    }

    /** A scripted branch with its queue, dead letters and runner on a fresh in-memory H2, on {@code clock}. */
    record Fixture(JdbcTemplate jdbc, ScriptedBranch branch, BranchOutbox outbox, BranchRunner runner) {
        static Fixture on(Clock clock, int batchSize) {
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:outbox" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            BookkeepingSchema schema = new BookkeepingSchema(jdbc, "hub");
            schema.migrate();
            ScriptedBranch branch = new ScriptedBranch();
            BranchOutbox outbox = new BranchOutbox(jdbc, schema, clock, List.of(branch));
            BranchRunner runner = new BranchRunner(List.of(branch), outbox, new DeadLetters(jdbc, schema, clock),
                    new BranchMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
                    new BranchRunner.Policy(batchSize, 2, Duration.ZERO, Duration.ZERO), clock);
            return new Fixture(jdbc, branch, outbox, runner);
        }
    }

    @Test
    void queueSettleDeadLetterAndReplay() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:outbox" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        BookkeepingSchema schema = new BookkeepingSchema(jdbc, "hub");
        schema.migrate();
        schema.migrate(); // nothing to do at the next start-up
        ScriptedBranch branch = new ScriptedBranch();
        BranchOutbox outbox = new BranchOutbox(jdbc, schema, Clock.systemUTC(), List.of(branch));
        DeadLetters deadLetters = new DeadLetters(jdbc, schema, Clock.systemUTC());
        BranchMeters stats = new BranchMeters(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        BranchRunner runner = new BranchRunner(List.of(branch), outbox, deadLetters, stats,
                new BranchRunner.Policy(2, 2, Duration.ZERO, Duration.ZERO), Clock.systemUTC());

        assertThat(outbox.enqueued(List.of(record("a"), record("b"), record("c"),
                CanonicalRecord.upsert("tags", "t", Source.PULL, 1L, Map.of(), Map.of())))).isEqualTo(3);
        assertThat(runner.drain("scripted")).isEqualTo(2);
        assertThat(runner.drain("scripted")).isEqualTo(1);
        assertThat(branch.seen).containsExactly("a", "b", "c");
        assertThat(stats.sent("scripted")).isEqualTo(3);

        branch.answer.set(Outcome.retry("HTTP 503"));
        outbox.enqueued(List.of(record("d")));
        runner.drain("scripted"); // attempt 1: rescheduled
        assertThat(outbox.backlog("scripted").get("waiting")).isEqualTo(1);
        runner.drain("scripted"); // attempt 2 of 2: dead letter
        assertThat(outbox.backlog("scripted").get("waiting")).isZero();
        List<DeadLetters.Letter> letters = deadLetters.list("scripted", null, null, 10);
        assertThat(letters).singleElement().satisfies(l -> {
            assertThat(l.recordId()).isEqualTo("d");
            assertThat(l.attempts()).isEqualTo(2);
            assertThat(l.lastError()).isEqualTo("HTTP 503");
        });

        assertThat(runner.replay(letters)).containsEntry("still_failing", 1);
        assertThat(deadLetters.list(null, "contacts", null, 10).get(0).attempts()).isEqualTo(3);
        branch.answer.set(Outcome.delivered());
        assertThat(runner.replay(deadLetters.list(null, null, List.of(letters.get(0).id()), 10)))
                .containsEntry("delivered", 1);
        assertThat(deadLetters.count("scripted")).isZero();
    }

    @Test
    void whileAPullRunsTheBranchesWaitAtMostTheirYieldThenDeliverWhatWaited() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
        Fixture f = Fixture.on(clock, 10);
        ScriptedBranch branch = f.branch();
        BranchOutbox outbox = f.outbox();
        BranchRunner runner = f.runner();
        AtomicBoolean pulling = new AtomicBoolean(true);
        runner.yieldToPulls(pulling::get, Duration.ofMinutes(10));
        outbox.enqueued(List.of(record("a"), record("b")));

        assertThat(runner.drain("scripted")).isZero();
        clock.advance(Duration.ofMinutes(9));
        assertThat(runner.drain("scripted")).isZero();
        assertThat(outbox.backlog("scripted").get("waiting")).isEqualTo(2);
        assertThat(runner.isYieldingToPulls()).isTrue();
        // a pull that runs longer than the yield: the branch delivers anyway
        clock.advance(Duration.ofMinutes(1));
        assertThat(runner.isYieldingToPulls()).isFalse();
        assertThat(runner.drain("scripted")).isEqualTo(2);
        assertThat(branch.seen).containsExactly("a", "b");

        // the pulls ended, then a new one begins: the branch waits again, and delivers as soon as it ends
        pulling.set(false);
        outbox.enqueued(List.of(record("c")));
        pulling.set(true);
        assertThat(runner.drain("scripted")).isEqualTo(1); // the yield began before the last pull ended: it carries on
        outbox.enqueued(List.of(record("d")));
        pulling.set(false);
        assertThat(runner.yieldingToPulls()).isFalse();
        pulling.set(true);
        assertThat(runner.drain("scripted")).isZero();
        pulling.set(false);
        assertThat(runner.drain("scripted")).isEqualTo(1);
        assertThat(branch.seen).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aZeroYieldNeverHoldsTheBranchesBack() {
        Fixture f = Fixture.on(Clock.systemUTC(), 10);
        BranchOutbox outbox = f.outbox();
        BranchRunner runner = f.runner();
        runner.yieldToPulls(() -> true, Duration.ZERO);
        outbox.enqueued(List.of(record("a")));
        assertThat(runner.drain("scripted")).isEqualTo(1);
    }

    /** A pull's page: its queue rows made ready on the pull's thread are the rows its writer stores, in order. */
    @Test
    void queueRowsPreparedAheadAreStoredForTheirBatchOnlyAndInOrder() throws Exception {
        Fixture f = Fixture.on(Clock.systemUTC(), 1000);
        JdbcTemplate jdbc = f.jdbc();
        ScriptedBranch branch = f.branch();
        BranchOutbox outbox = f.outbox();
        BranchRunner runner = f.runner();
        List<CanonicalRecord> page = new ArrayList<>();
        for (int n = 0; n < 150; n++) { // more than one multi-row INSERT of each size
            page.add(record("p" + n));
        }
        BranchOutbox.PreparedRows prepared = outbox.prepare(page);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setBody(page);
            outbox.enqueueWithWarehouse(exchange, prepared);
            // another batch (a copy of the page's list): its own rows, not the prepared ones
            Exchange other = new DefaultExchange(camel);
            other.getMessage().setBody(new ArrayList<>(List.of(record("x"))));
            outbox.enqueueWithWarehouse(other, prepared);
            for (Exchange e : List.of(exchange, other)) {
                List<AlsoCommitted> work = e.getProperty(AlsoCommitted.PROPERTY, List.class);
                work.forEach(w -> w.write(jdbc));
            }
        }
        assertThat(jdbc.queryForList("SELECT id FROM hub.branch_outbox WHERE record_id LIKE 'p%'", String.class))
                .containsExactlyInAnyOrderElementsOf(prepared.rows().stream().map(r -> (String) r[0]).toList());
        assertThat(runner.drain("scripted")).isEqualTo(151);
        List<String> expected = new ArrayList<>(page.stream().map(CanonicalRecord::id).toList());
        expected.add("x");
        assertThat(branch.seen).containsExactlyElementsOf(expected);
    }

    /**
     * Takes read from past what they found due (the queue's head is dead index entries until a vacuum): a claim given
     * back is taken again at once, and a row committed below that point (later than rows due after it) at the next
     * read from the start.
     */
    @Test
    void rowsBelowTheReadFloorAreTakenWhenGivenBackOrAtTheNextReadFromTheStart() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T12:00:00Z"));
        Fixture f = Fixture.on(clock, 10);
        BranchOutbox outbox = f.outbox();
        outbox.enqueued(List.of(record("x")));
        clock.advance(Duration.ofSeconds(5));
        outbox.enqueued(List.of(record("y")));

        List<BranchOutbox.Entry> first = outbox.due("scripted", 1);
        assertThat(first).extracting(e -> e.record().id()).containsExactly("x");
        assertThat(outbox.due("scripted", 1)).extracting(e -> e.record().id()).containsExactly("y");
        outbox.release(first); // x is free again, 5 s before the rows last found due
        assertThat(outbox.due("scripted", 10)).extracting(e -> e.record().id()).containsExactly("x");

        // a row committed late, due 5 s before x (the oldest row the last take found due)
        f.jdbc().update("INSERT INTO hub.branch_outbox (id, seq, branch, collection, record_id, record, attempts, "
                        + "next_attempt_at) VALUES ('late', 1, 'scripted', 'contacts', 'z', ?, 0, ?)",
                RecordJson.write(record("z")), clock.millis() - 10_000);
        assertThat(outbox.due("scripted", 10)).isEmpty();
        clock.advance(Duration.ofMillis(ReadFloor.RESCAN_MILLIS));
        assertThat(outbox.due("scripted", 10)).extracting(e -> e.record().id()).containsExactly("z");
    }
}

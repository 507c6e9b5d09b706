package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.h2.jdbcx.JdbcDataSource;
import org.intercomhub.MutableClock;
import org.intercomhub.fanout.DeadLetters;
import org.intercomhub.intercom.IntercomApiException;
import org.intercomhub.intercom.IntercomUnavailableException;
import org.intercomhub.sync.BookkeepingSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inbox and its processing on the demo's embedded H2, with an applier whose answers the test scripts (the real
 * one against the sandbox is TrackingContract's): stored once per messageId, each user's calls in order, a failing
 * call holding back only its own user, Intercom down pausing everyone, dead letters after the last attempt.
 */
class TrackingProcessorH2Test {

    static final ObjectMapper JSON = new ObjectMapper();

    /** Applies what the test says, and remembers the order it was asked in. */
    static final class ScriptedApplier extends TrackingApplier {
        final List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<String, List<RuntimeException>> failures = new java.util.concurrent.ConcurrentHashMap<>();

        ScriptedApplier(TrackingInbox inbox, Clock clock) {
            super(null, null, inbox, clock);
        }

        @Override
        public Result apply(TrackingCall call) {
            seen.add(call.messageId());
            List<RuntimeException> planned = failures.get(call.messageId());
            if (planned != null && !planned.isEmpty()) {
                throw planned.remove(0);
            }
            return new Result(Result.Kind.APPLIED, "c-" + call.userId(), null);
        }
    }

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    JdbcTemplate jdbc;
    TrackingInbox inbox;
    ScriptedApplier applier;
    DeadLetters deadLetters;
    TrackingProcessor processor;

    @BeforeEach
    void bookkeeping() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tracking" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(ds);
        BookkeepingSchema schema = new BookkeepingSchema(jdbc, "hub");
        schema.migrate();
        inbox = new TrackingInbox(jdbc, schema, JSON, clock);
        applier = new ScriptedApplier(inbox, clock);
        deadLetters = new DeadLetters(jdbc, schema, clock);
        TrackingProperties settings = new TrackingProperties(null, "k", 200, 100, 3, Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofHours(24), Duration.ofDays(7), 1);
        processor = new TrackingProcessor(inbox, applier, deadLetters,
                new TrackingMeters(new SimpleMeterRegistry(), clock, inbox, Duration.ZERO), settings, JSON, clock);
    }

    static TrackingCall call(String messageId, String type, String userId) {
        ObjectNode body = JSON.createObjectNode().put("type", type).put("userId", userId).put("messageId", messageId);
        return new TrackingCall(messageId, type, TrackingCall.userKey(userId, null), body);
    }

    @Test
    void severalUsersAtOnceEachInOrderAndAnAliasWithItsVisitorsCalls() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            TrackingProcessor parallel = new TrackingProcessor(inbox, applier, deadLetters,
                    new TrackingMeters(new SimpleMeterRegistry(), clock, inbox, Duration.ZERO),
                    new TrackingProperties(null, "k", 200, 100, 3, Duration.ofSeconds(1), Duration.ofSeconds(8),
                            Duration.ofHours(24), Duration.ofDays(7), 4), JSON, clock, pool);
            ObjectNode visitor = JSON.createObjectNode().put("type", "identify").put("anonymousId", "anon-1")
                    .put("messageId", "v1");
            ObjectNode alias = JSON.createObjectNode().put("type", "alias").put("userId", "U")
                    .put("previousId", "anon-1").put("messageId", "u2");
            List<TrackingCall> calls = new ArrayList<>(List.of(
                    new TrackingCall("v1", "identify", TrackingCall.userKey(null, "anon-1"), visitor),
                    call("u1", "identify", "U"), call("b1", "identify", "B"),
                    new TrackingCall("u2", "alias", TrackingCall.userKey("U", null), alias),
                    call("b2", "track", "B"), call("u3", "track", "U")));
            for (int n = 0; n < 20; n++) {
                calls.add(call("x" + n, "identify", "X" + n));
                calls.add(call("y" + n, "track", "X" + n));
            }
            inbox.store(calls);
            List<TrackingInbox.Entry> due = inbox.due(100);
            // the alias goes with the visitor's calls: its merge needs the lead they write
            assertThat(parallel.byUser(due)).extracting(g -> g.stream().map(TrackingInbox.Entry::messageId).toList())
                    .startsWith(List.of("v1", "u1", "u2", "u3"), List.of("b1", "b2"), List.of("x0", "y0"));
            inbox.release(due);

            assertThat(parallel.applyDue()).isEqualTo(46);
            List<String> seen = new ArrayList<>(applier.seen);
            assertThat(seen).hasSize(46);
            assertThat(seen.indexOf("v1")).isLessThan(seen.indexOf("u1"));
            assertThat(seen.indexOf("u1")).isLessThan(seen.indexOf("u2"));
            assertThat(seen.indexOf("u2")).isLessThan(seen.indexOf("u3"));
            assertThat(seen.indexOf("b1")).isLessThan(seen.indexOf("b2"));
            for (int n = 0; n < 20; n++) {
                assertThat(seen.indexOf("x" + n)).isLessThan(seen.indexOf("y" + n));
            }
            assertThat(inbox.due(100)).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void storedOncePerMessageIdInTheOrderSent() {
        List<TrackingCall> batch = List.of(call("a1", "identify", "A"), call("b1", "track", "B"),
                call("a1", "identify", "A"), call("a2", "track", "A"));
        assertThat(inbox.store(batch)).extracting(TrackingCall::messageId).containsExactly("a1", "b1", "a2");
        assertThat(inbox.store(batch)).isEmpty();
        assertThat(inbox.due(10)).extracting(TrackingInbox.Entry::messageId).containsExactly("a1", "b1", "a2");
    }

    @Test
    void aUsersContactIsTheOneItsLatestContactCallWroteAndIsForgottenWithThatCall() {
        inbox.store(List.of(call("u1", "identify", "U"), call("u2", "track", "U"), call("u3", "page", "U"),
                call("u4", "identify", "U"), call("v1", "identify", "V")));
        Map<String, TrackingInbox.Entry> due = new HashMap<>();
        inbox.due(10).forEach(entry -> due.put(entry.messageId(), entry));
        String u = TrackingCall.userKey("U", null);
        assertThat(inbox.contactId(u)).isNull();

        // settled out of order: a later call's contact is never overwritten by an earlier one's
        inbox.settled(due.get("u3"), "applied", "c-page", null);
        assertThat(inbox.contactId(u)).isEqualTo("c-page");
        inbox.settled(due.get("u1"), "applied", "c-first", null);
        assertThat(inbox.contactId(u)).isEqualTo("c-page");
        // a track names the contact it went to, but does not make it the user's
        inbox.settled(due.get("u2"), "applied", "c-track", null);
        assertThat(inbox.contactId(u)).isEqualTo("c-page");
        // a contact call Intercom did not take names none
        inbox.settled(due.get("u4"), "dead_lettered", null, "refused");
        assertThat(inbox.contactId(u)).isEqualTo("c-page");
        inbox.settled(due.get("v1"), "applied", "c-v", null);
        assertThat(inbox.contactId(TrackingCall.userKey("V", null))).isEqualTo("c-v");

        // past the retention, with the calls: U's contact goes with the page call that named it; V's call is kept
        // (not fanned out yet), and so is its contact
        inbox.fannedOut(List.of(due.get("u1"), due.get("u2"), due.get("u3"), due.get("u4")));
        clock.advance(Duration.ofDays(8));
        assertThat(inbox.purgeBefore(clock.millis())).isEqualTo(4);
        assertThat(inbox.contactId(u)).isNull();
        assertThat(inbox.contactId(TrackingCall.userKey("V", null))).isEqualTo("c-v");
    }

    @Test
    void aFanOutThatFailedIsTakenAgainOnceItsLeaseRunsOutThoughLaterCallsWentOutMeanwhile() {
        inbox.store(List.of(call("f1", "track", "A"), call("f2", "track", "B")));
        // taken, and the fan-out fails: never marked fanned out, held until the lease runs out
        assertThat(inbox.notFannedOut(10)).extracting(TrackingInbox.Entry::messageId).containsExactly("f1", "f2");
        inbox.store(List.of(call("f3", "track", "C")));
        List<TrackingInbox.Entry> next = inbox.notFannedOut(10);
        assertThat(next).extracting(TrackingInbox.Entry::messageId).containsExactly("f3");
        inbox.fannedOut(next);
        assertThat(inbox.notFannedOut(10)).isEmpty();

        clock.advance(Duration.ofMinutes(3));
        assertThat(inbox.notFannedOut(10)).extracting(TrackingInbox.Entry::messageId).containsExactly("f1", "f2");
    }

    @Test
    void aFailingCallHoldsBackOnlyItsOwnUsersLaterCalls() {
        inbox.store(List.of(call("a1", "identify", "A"), call("b1", "identify", "B")));
        inbox.store(List.of(call("a2", "track", "A"), call("b2", "track", "B")));
        applier.failures.put("a1", new ArrayList<>(List.of(new IllegalStateException("bad row"))));

        processor.applyDue();
        assertThat(applier.seen).containsExactly("a1", "b1", "b2");
        assertThat(inbox.due(10)).as("A waits for its first call's retry").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        processor.applyDue();
        assertThat(applier.seen).containsExactly("a1", "b1", "b2", "a1", "a2");
        assertThat(jdbc.queryForList("SELECT outcome FROM hub.tracking_inbox ORDER BY seq", String.class))
                .containsOnly("applied");
        assertThat(inbox.contactId(TrackingCall.userKey("A", null))).isEqualTo("c-A");
    }

    @Test
    void aUserWithMorePendingCallsThanAReadHoldsBackNoOneBehindThem() {
        List<TrackingCall> aCalls = new ArrayList<>();
        for (int n = 0; n < TrackingInbox.PENDING_WINDOW * 2 + 5; n++) {
            aCalls.add(call("a" + n, "track", "A"));
        }
        inbox.store(List.of(call("a-first", "identify", "A")));
        TrackingInbox.Entry first = inbox.due(1).get(0);
        inbox.failed(first, 1, clock.millis() + 60_000, "Intercom refused it for now");
        inbox.store(aCalls);
        inbox.store(List.of(call("b1", "identify", "B"), call("a-last", "track", "A"), call("b2", "track", "B")));

        // A's first call waits for its retry: every later call of A waits with it, B's are due
        assertThat(inbox.due(10)).extracting(TrackingInbox.Entry::messageId).containsExactly("b1", "b2");
        assertThat(inbox.due(10)).as("B's calls are this reader's now").isEmpty();

        // once the retry is due, A's calls come first again, in order
        clock.advance(Duration.ofMinutes(2));
        assertThat(inbox.due(3)).extracting(TrackingInbox.Entry::messageId).containsExactly("a-first", "a0", "a1");
    }

    @Test
    void aCallCommittedBehindTheReadFloorIsFoundByTheNextRescan() {
        inbox.store(List.of(call("a1", "identify", "A")));
        List<TrackingInbox.Entry> first = inbox.due(10);
        inbox.settled(first.get(0), "applied", "c-A", null);
        inbox.store(List.of(call("b1", "identify", "B")));
        List<TrackingInbox.Entry> second = inbox.due(10);
        assertThat(second).extracting(TrackingInbox.Entry::messageId).containsExactly("b1");
        inbox.settled(second.get(0), "applied", "c-B", null);
        // another node's call, numbered before b1 but committed after it was read
        Long late = jdbc.queryForObject("SELECT seq FROM hub.tracking_inbox WHERE message_id = 'a1'", Long.class);
        jdbc.update("UPDATE hub.tracking_inbox SET applied_at = NULL, outcome = NULL WHERE seq = ?", late);

        assertThat(inbox.due(10)).as("read from past b1").isEmpty();
        clock.advance(Duration.ofMillis(org.intercomhub.inbox.ReadFloor.RESCAN_MILLIS));
        assertThat(inbox.due(10)).extracting(TrackingInbox.Entry::messageId).containsExactly("a1");
    }

    @Test
    void aCallIsNotAppliedBeforeAnEarlierCallOfItsUserCommittedLate() {
        inbox.store(List.of(call("a1", "identify", "A")));
        inbox.settled(inbox.due(10).get(0), "applied", "c-A", null);
        inbox.store(List.of(call("b1", "identify", "B")));
        inbox.settled(inbox.due(10).get(0), "applied", "c-B", null);
        inbox.store(List.of(call("a2", "track", "A")));
        // a call of A numbered before b1, committed by another node after the reads moved past it
        Long late = jdbc.queryForObject("SELECT seq FROM hub.tracking_inbox WHERE message_id = 'a1'", Long.class);
        jdbc.update("UPDATE hub.tracking_inbox SET applied_at = NULL, outcome = NULL WHERE seq = ?", late);

        assertThat(inbox.due(10)).as("a2 is read, claimed and given back: A's earlier call waits").isEmpty();
        clock.advance(Duration.ofMillis(org.intercomhub.inbox.ReadFloor.RESCAN_MILLIS));
        assertThat(inbox.due(10)).extracting(TrackingInbox.Entry::messageId).containsExactly("a1", "a2");
    }

    @Test
    void anAliasWaitsUntilTheEarlierCallsOfItsPreviousIdAreApplied() {
        ObjectNode visitor = JSON.createObjectNode().put("type", "identify").put("anonymousId", "anon-7")
                .put("messageId", "v1");
        ObjectNode alias = JSON.createObjectNode().put("type", "alias").put("userId", "U")
                .put("previousId", "anon-7").put("messageId", "u1");
        inbox.store(List.of(new TrackingCall("v1", "identify", TrackingCall.userKey(null, "anon-7"), visitor),
                new TrackingCall("u1", "alias", TrackingCall.userKey("U", null), alias)));
        // the identify that writes the lead fails once: the alias, another user's call, must not merge before it
        applier.failures.put("v1", new ArrayList<>(List.of(new IllegalStateException("lead not written"))));

        processor.applyDue();
        assertThat(applier.seen).as("the alias waits for the visitor's identify").containsExactly("v1");
        clock.advance(Duration.ofSeconds(2));
        processor.applyDue();
        assertThat(applier.seen).containsExactly("v1", "v1", "u1");
        assertThat(inbox.pending().rows()).isZero();
    }

    @Test
    void intercomDownPausesEveryoneThenTheLastAttemptDeadLettersAndTheUserGoesOn() {
        inbox.store(List.of(call("a1", "identify", "A"), call("a2", "track", "A"), call("b1", "identify", "B")));
        List<RuntimeException> outage = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            outage.add(new IntercomUnavailableException("Intercom returned HTTP 503", null));
        }
        applier.failures.put("a1", outage);

        processor.applyDue();
        assertThat(applier.seen).as("B is not tried while Intercom is down").containsExactly("a1");
        processor.applyDue();
        assertThat(applier.seen).as("paused: nothing is tried").containsExactly("a1");

        clock.advance(Duration.ofSeconds(2));
        processor.applyDue();
        clock.advance(Duration.ofSeconds(4));
        processor.applyDue();
        // the third failure was a1's last attempt: dead-lettered, and A's next call goes on
        assertThat(applier.seen).containsExactly("a1", "a1", "a1");
        assertThat(deadLetters.list(TrackingProcessor.DEAD_LETTER_BRANCH, "identifies", null, 10))
                .singleElement().satisfies(letter -> {
                    assertThat(letter.recordId()).isEqualTo("a1");
                    assertThat(letter.attempts()).isEqualTo(3);
                    assertThat(letter.lastError()).contains("503");
                });
        clock.advance(Duration.ofSeconds(8));
        processor.applyDue();
        assertThat(applier.seen).containsExactly("a1", "a1", "a1", "a2", "b1");
        assertThat(inbox.pending().rows()).isZero();
    }

    @Test
    void aLookupIntercomRefusesDeadLettersTheCallAtOnce() {
        inbox.store(List.of(call("a1", "identify", "A"), call("b1", "identify", "B")));
        applier.failures.put("a1", new ArrayList<>(List.of(new IntercomApiException(400, "parameter_invalid",
                "bad query", "req-1"))));
        processor.applyDue();
        assertThat(applier.seen).as("no pause: it was the call, not Intercom").containsExactly("a1", "b1");
        assertThat(deadLetters.list(TrackingProcessor.DEAD_LETTER_BRANCH, null, null, 10)).singleElement()
                .satisfies(letter -> assertThat(letter.lastError()).contains("bad query"));
    }
}

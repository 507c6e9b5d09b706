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
        final List<String> seen = new ArrayList<>();
        final Map<String, List<RuntimeException>> failures = new HashMap<>();

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
                Duration.ofSeconds(8), Duration.ofHours(24), Duration.ofDays(7));
        processor = new TrackingProcessor(inbox, applier, deadLetters,
                new TrackingMeters(new SimpleMeterRegistry(), clock, inbox, Duration.ZERO), settings, JSON, clock);
    }

    static TrackingCall call(String messageId, String type, String userId) {
        ObjectNode body = JSON.createObjectNode().put("type", type).put("userId", userId).put("messageId", messageId);
        return new TrackingCall(messageId, type, TrackingCall.userKey(userId, null), body);
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

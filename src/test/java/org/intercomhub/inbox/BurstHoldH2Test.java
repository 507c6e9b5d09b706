package org.intercomhub.inbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.h2.jdbcx.JdbcDataSource;
import org.intercomhub.MutableClock;
import org.intercomhub.cluster.RowLeases;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.tracking.TrackingCall;
import org.intercomhub.tracking.TrackingInbox;
import org.intercomhub.webhook.Notification;
import org.intercomhub.webhook.WebhookInbox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inboxes with a burst hold, on H2 with the clock in the test's hand: during a burst the processing takes
 * nothing (and says so), every row is still committed, and it takes them all once the burst ends or the hold runs
 * out. Applying tracking calls to Intercom never waits.
 */
class BurstHoldH2Test {

    static final ObjectMapper JSON = new ObjectMapper();
    /** 100 rows a second hold processing back, for at most 30 s. */
    static final InboxProperties SETTINGS = new InboxProperties(1000, 500, 100, Duration.ofSeconds(30));

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    JdbcTemplate jdbc;
    BookkeepingSchema schema;

    @BeforeEach
    void bookkeeping() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:burst" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(ds);
        schema = new BookkeepingSchema(jdbc, "hub");
        schema.migrate();
    }

    @Test
    void webhookProcessingWaitsForTheBurstThenTakesEveryRow() {
        try (WebhookInbox inbox = new WebhookInbox(jdbc, schema, clock, RowLeases.local(jdbc, clock), SETTINGS)) {
            assertThat(inbox.due(1000)).isEmpty();
            int stored = 0;
            for (int halfSecond = 0; halfSecond < 6; halfSecond++) {
                for (int i = 0; i < 100; i++) {
                    inbox.store(new Notification("n" + stored++, "contact.user.updated", 1L, "{}"));
                }
                clock.advance(Duration.ofMillis(500));
                assertThat(inbox.due(1000)).as("taken %d ms into a burst of 200/s", 500 * (halfSecond + 1)).isEmpty();
            }
            assertThat(inbox.heldForBurst()).isTrue();
            assertThat(inbox.backlog()).isEqualTo(600);

            // the burst is over: everything is taken, oldest first
            clock.advance(Duration.ofMillis(500));
            List<WebhookInbox.Entry> due = inbox.due(1000);
            assertThat(due).hasSize(600);
            assertThat(due.get(0).id()).isEqualTo("n0");
            assertThat(inbox.heldForBurst()).isFalse();
        }
    }

    @Test
    void webhookProcessingRunsOnceTheHoldRanOutWhileTheBurstGoesOn() {
        try (WebhookInbox inbox = new WebhookInbox(jdbc, schema, clock, RowLeases.local(jdbc, clock), SETTINGS)) {
            inbox.due(1000);
            int stored = 0;
            int taken = 0;
            for (int halfSecond = 1; halfSecond <= 80; halfSecond++) {
                for (int i = 0; i < 100; i++) {
                    inbox.store(new Notification("n" + stored++, "contact.user.updated", 1L, "{}"));
                }
                clock.advance(Duration.ofMillis(500));
                List<WebhookInbox.Entry> due = inbox.due(10_000);
                if (halfSecond <= 60) {
                    assertThat(due).as("taken %d ms into the burst", 500 * halfSecond).isEmpty();
                }
                inbox.markProcessed(due.stream().map(WebhookInbox.Entry::id).toList());
                taken += due.size();
            }
            // held 30 s (the hold began at the first look that saw the burst, half a second in), then drained
            assertThat(taken).isEqualTo(stored);
            assertThat(inbox.backlog()).isZero();
        }
    }

    @Test
    void trackingFanOutWaitsForTheBurstButApplyingDoesNot() {
        try (TrackingInbox inbox = new TrackingInbox(jdbc, schema, JSON, clock, RowLeases.local(jdbc, clock),
                SETTINGS)) {
            inbox.notFannedOut(1000);
            for (int halfSecond = 0; halfSecond < 4; halfSecond++) {
                int first = halfSecond * 100;
                inbox.store(IntStream.range(first, first + 100).mapToObj(i -> call("m" + i, "u" + i)).toList());
                clock.advance(Duration.ofMillis(500));
                assertThat(inbox.notFannedOut(1000)).isEmpty();
            }
            assertThat(inbox.fanoutHeldForBurst()).isTrue();
            assertThat(inbox.due(1000)).isNotEmpty();

            clock.advance(Duration.ofMillis(500));
            assertThat(inbox.notFannedOut(1000)).hasSize(400);
            assertThat(inbox.fanoutHeldForBurst()).isFalse();
        }
    }

    static TrackingCall call(String messageId, String userId) {
        ObjectNode body = JSON.createObjectNode().put("type", "track").put("userId", userId)
                .put("messageId", messageId).put("event", "Clicked");
        return new TrackingCall(messageId, "track", String.format("%64s", userId).replace(' ', '0'), body);
    }
}

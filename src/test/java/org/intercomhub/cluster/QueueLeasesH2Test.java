package org.intercomhub.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.h2.jdbcx.JdbcDataSource;
import org.intercomhub.MutableClock;
import org.intercomhub.fanout.Branch;
import org.intercomhub.fanout.BranchOutbox;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.record.CanonicalRecord;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes' leases on one bookkeeping schema, with the clock in the test's hand: a row one node holds is not given
 * to the other, a settled row is free of its lease, and the rows of a node that died holding them are taken by the
 * other once the lease has run out. H2 here; the same SQL runs on PostgreSQL and MariaDB in the cluster suites.
 */
class QueueLeasesH2Test {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration LEASE = Duration.ofMinutes(2);

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    JdbcTemplate jdbc;
    BookkeepingSchema schema;
    RowLeases nodeA;
    RowLeases nodeB;

    @BeforeEach
    void bookkeeping() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:leases" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(ds);
        schema = new BookkeepingSchema(jdbc, "hub");
        schema.migrate();
        nodeA = new RowLeases(jdbc, new ClusterNode("node-a"), clock, LEASE);
        nodeB = new RowLeases(jdbc, new ClusterNode("node-b"), clock, LEASE);
    }

    @Test
    void webhookRowsHeldByADeadNodeAreTakenByTheOtherWhenTheLeaseEnds() {
        WebhookInbox onA = new WebhookInbox(jdbc, schema, clock, nodeA);
        WebhookInbox onB = new WebhookInbox(jdbc, schema, clock, nodeB);
        for (String id : List.of("n1", "n2", "n3")) {
            onA.store(new Notification(id, "contact.user.updated", 1L, "{}"));
        }
        assertThat(onA.due(2)).extracting(WebhookInbox.Entry::id).containsExactly("n1", "n2");
        // B takes only what A does not hold
        assertThat(onB.due(10)).extracting(WebhookInbox.Entry::id).containsExactly("n3");
        onB.markProcessed(List.of("n3"));
        assertThat(onB.due(10)).isEmpty();

        // A dies holding n1 and n2: they wait for the lease, then B has them
        clock.advance(LEASE.minusSeconds(1));
        assertThat(onB.due(10)).isEmpty();
        clock.advance(Duration.ofSeconds(2));
        assertThat(onB.due(10)).extracting(WebhookInbox.Entry::id).containsExactly("n1", "n2");
        onB.markProcessed(List.of("n1", "n2"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hub.webhook_inbox WHERE processed_at IS NULL"
                + " OR claimed_by IS NOT NULL", Long.class)).isZero();
    }

    @Test
    void aWebhookRowWaitingForItsRetryIsTakenAgainThoughLaterRowsWereProcessedMeanwhile() {
        WebhookInbox inbox = new WebhookInbox(jdbc, schema, clock, nodeA);
        inbox.store(new Notification("r1", "contact.user.updated", 1L, "{}"));
        WebhookInbox.Entry failing = inbox.due(10).get(0);
        // its sixth failure: the next try in 32 s
        inbox.markFailed(new WebhookInbox.Entry(failing.id(), failing.topic(), failing.createdAt(), failing.body(), 5),
                "warehouse refused it");
        // later notifications come and go while r1 waits for its retry
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(5));
            inbox.store(new Notification("later-" + i, "contact.user.updated", 1L, "{}"));
            List<WebhookInbox.Entry> later = inbox.due(10);
            assertThat(later).extracting(WebhookInbox.Entry::id).containsExactly("later-" + i);
            inbox.markProcessed(later.stream().map(WebhookInbox.Entry::id).toList());
        }
        assertThat(inbox.due(10)).isEmpty();
        clock.advance(Duration.ofSeconds(20));
        assertThat(inbox.due(10)).extracting(WebhookInbox.Entry::id).containsExactly("r1");
    }

    @Test
    void outboxRowsAreTakenOnceAndGivenBackWhenNotSettled() {
        Branch branch = new Branch() {
            @Override
            public String name() {
                return "analytics";
            }

            @Override
            public boolean accepts(CanonicalRecord record) {
                return true;
            }

            @Override
            public List<Outcome> deliver(List<CanonicalRecord> records) {
                return records.stream().map(r -> Outcome.delivered()).toList();
            }
        };
        BranchOutbox onA = new BranchOutbox(jdbc, schema, clock, List.of(branch), nodeA);
        BranchOutbox onB = new BranchOutbox(jdbc, schema, clock, List.of(branch), nodeB);
        onA.enqueued(List.of(record("r1"), record("r2")));
        List<BranchOutbox.Entry> taken = onA.due("analytics", 10);
        assertThat(taken).hasSize(2);
        assertThat(onB.due("analytics", 10)).isEmpty();
        // A's settling failed and rolled back: it gives the rows back, B takes them at once
        onA.release(taken);
        assertThat(onB.due("analytics", 10)).hasSize(2);
    }

    @Test
    void aUsersTrackingCallsStayWithTheNodeHoldingTheirEarliest() {
        TrackingInbox onA = new TrackingInbox(jdbc, schema, JSON, clock, nodeA);
        TrackingInbox onB = new TrackingInbox(jdbc, schema, JSON, clock, nodeB);
        onA.store(List.of(call("u1", "U"), call("v1", "V")));
        assertThat(onA.due(1)).extracting(TrackingInbox.Entry::messageId).containsExactly("u1");
        onA.store(List.of(call("u2", "U")));
        // U's calls wait while A holds u1: B applies V's only
        List<TrackingInbox.Entry> onlyV = onB.due(10);
        assertThat(onlyV).extracting(TrackingInbox.Entry::messageId).containsExactly("v1");
        onB.settled(onlyV.get(0), "applied", "c-V", null);
        // the fan-out side has leases of its own
        assertThat(onB.notFannedOut(10)).extracting(TrackingInbox.Entry::messageId).containsExactly("u1", "v1", "u2");
        assertThat(onA.notFannedOut(10)).isEmpty();

        // A dies holding u1: after the lease, B has U's calls in order
        clock.advance(LEASE.plusSeconds(1));
        List<TrackingInbox.Entry> resumed = onB.due(10);
        assertThat(resumed).extracting(TrackingInbox.Entry::messageId).containsExactly("u1", "u2");
    }

    static CanonicalRecord record(String id) {
        return CanonicalRecord.upsert("contacts", id, CanonicalRecord.Source.PULL, 1L, Map.of("id", id), Map.of());
    }

    static TrackingCall call(String messageId, String userId) {
        ObjectNode body = JSON.createObjectNode().put("type", "track").put("userId", userId)
                .put("messageId", messageId).put("event", "Clicked");
        // the inbox orders by this key only; its form (a SHA-256 in hex) is TrackingCall's business
        return new TrackingCall(messageId, "track", String.format("%64s", userId).replace(' ', '0'), body);
    }
}

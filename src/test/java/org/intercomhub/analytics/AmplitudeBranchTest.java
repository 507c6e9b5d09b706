package org.intercomhub.analytics;

import org.intercomhub.fanout.BranchRoutes;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.sandbox.AmplitudeStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The analytics branch against the Amplitude stub on loopback: batching and each documented answer. */
class AmplitudeBranchTest {

    final AmplitudeStub stub = new AmplitudeStub(0, "amp-key");
    final List<BranchRoutes> routes = new ArrayList<>();

    @AfterEach
    void stop() {
        routes.forEach(BranchRoutes::close);
        stub.close();
    }

    AmplitudeBranch branch(int maxEvents, int maxBytes) {
        return branch("amp-key", maxEvents, maxBytes);
    }

    /** The branch delivering through routes/analytics.camel.yaml, its HTTP endpoint pointed at the stub. */
    AmplitudeBranch branch(String apiKey, int maxEvents, int maxBytes) {
        AmplitudeBranch branch = new AmplitudeBranch(new AnalyticsSettings(stub.url(), apiKey,
                AnalyticsSettings.UserIdField.USER_ID, maxEvents, maxBytes, Duration.ofSeconds(30),
                Duration.ofSeconds(5)), Clock.systemUTC());
        routes.add(BranchRoutes.start("file:routes/analytics.camel.yaml",
                Map.of("analytics.url", stub.url()),
                "amplitudeBranch", branch));
        return branch;
    }

    static CanonicalRecord event(int n, String user, String padding) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", user);
        row.put("event_name", "ordered");
        row.put("note", padding);
        return new CanonicalRecord("events", "e" + n, CanonicalRecord.Operation.UPSERT, Source.WEBHOOK, 1700000000L,
                row, Map.of(), new CanonicalRecord.Event("event.created", "notif_" + n, 1700000000L));
    }

    static List<CanonicalRecord> events(int count, String padding) {
        List<CanonicalRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(event(i, "user-" + (1000 + i % 50), padding));
        }
        return records;
    }

    @Test
    void batchesOfAtMost2000EventsAndUnder1MB() {
        List<Outcome> outcomes = branch(2000, 1_000_000).deliver(events(4500, "x"));
        assertThat(outcomes).allMatch(o -> o.kind() == Outcome.Kind.DELIVERED);
        assertThat(stub.requests()).isEqualTo(3);
        stub.ingested().clear();
        int before = stub.requests();
        // ~1.2 KB events (property text is cut at 1,024 characters): 1,800 of them need three requests under 1 MB
        List<Outcome> big = branch(2000, 1_000_000).deliver(events(1800, "y".repeat(2000)));
        assertThat(big).allMatch(o -> o.kind() == Outcome.Kind.DELIVERED);
        assertThat(stub.requests() - before).isEqualTo(3);
        assertThat(stub.largestRequestBytes()).isLessThan(1_000_000);
    }

    @Test
    void a413SplitsTheRequest() {
        // the hub's limit set above the stub's: the stub answers 413 and the branch halves until it fits
        List<Outcome> outcomes = branch(5000, 50_000_000).deliver(events(4500, "x"));
        assertThat(outcomes).allMatch(o -> o.kind() == Outcome.Kind.DELIVERED);
        assertThat(stub.ingestedByInsertId()).hasSize(4500);
        assertThat(stub.ingestedByInsertId().values()).allMatch(n -> n.get() == 1);
    }

    @Test
    void a400DeadLettersExactlyTheNamedEventsAndSendsTheRest() {
        stub.invalidInsertId("notif_3");
        List<CanonicalRecord> records = events(10, "x");
        List<Outcome> outcomes = branch(2000, 1_000_000).deliver(records);
        assertThat(outcomes.get(3).kind()).isEqualTo(Outcome.Kind.DEAD);
        assertThat(outcomes.get(3).detail()).contains("invalid field event_properties");
        assertThat(outcomes).filteredOn(o -> o.kind() == Outcome.Kind.DELIVERED).hasSize(9);
        assertThat(stub.timesIngested("notif_3")).isZero();
        assertThat(stub.timesIngested("notif_4")).isEqualTo(1);
    }

    /** A group call of the tracking API, as its record reaches the branch. */
    static CanonicalRecord groupCall(String messageId, String user, String groupId) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", messageId);
        row.put("user_id", user);
        row.put("group_id", groupId);
        row.put("traits", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("plan", "gold"));
        return new CanonicalRecord("groups", messageId, CanonicalRecord.Operation.UPSERT, Source.TRACKING,
                1700000000L, row, Map.of());
    }

    @Test
    void aGroupCallIsTwoEventsAndItsRecordIsDeliveredOnlyWhenBothAre() {
        stub.invalidInsertId("g-2-group");
        List<Outcome> outcomes = branch(2000, 1_000_000).deliver(List.of(groupCall("g-1", "user-1001", "acme"),
                groupCall("g-2", "user-1002", "globex")));
        assertThat(outcomes.get(0).kind()).isEqualTo(Outcome.Kind.DELIVERED);
        assertThat(stub.timesIngested("g-1")).isEqualTo(1);
        assertThat(stub.timesIngested("g-1-group")).isEqualTo(1);
        // the Group Identify refused: the whole call is a dead letter (its Identify was taken; a replay repeats it
        // under the same insert_id)
        assertThat(outcomes.get(1).kind()).isEqualTo(Outcome.Kind.DEAD);
        assertThat(outcomes.get(1).detail()).contains("invalid field event_properties");
        assertThat(stub.timesIngested("g-2")).isEqualTo(1);
        assertThat(stub.timesIngested("g-2-group")).isZero();
    }

    @Test
    void a429PausesOnlyTheThrottledUsers() {
        stub.throttleUsers(user -> user.equals("user-1001"));
        AmplitudeBranch branch = branch(2000, 1_000_000);
        List<Outcome> outcomes = branch.deliver(events(100, "x"));
        assertThat(outcomes).filteredOn(o -> o.kind() == Outcome.Kind.PAUSED).hasSize(2);
        assertThat(outcomes.get(1).delay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(outcomes).filteredOn(o -> o.kind() == Outcome.Kind.DELIVERED).hasSize(98);
        // within the pause, that user's events wait without a request; the others flow
        stub.throttleUsers(user -> false);
        int requests = stub.requests();
        List<Outcome> next = branch.deliver(List.of(event(200, "user-1001", "x"), event(201, "user-2222", "x")));
        assertThat(next).extracting(Outcome::kind).containsExactly(Outcome.Kind.PAUSED, Outcome.Kind.DELIVERED);
        assertThat(stub.requests()).isEqualTo(requests + 1);
    }

    @Test
    void a5xxIsRetriedAndAWrongKeyIsDead() {
        stub.failWith(503);
        assertThat(branch(2000, 1_000_000).deliver(events(3, "x"))).allMatch(o -> o.kind() == Outcome.Kind.RETRY);
        stub.failWith(0);
        AmplitudeBranch wrongKey = branch("nope", 2000, 1_000_000);
        List<Outcome> outcomes = wrongKey.deliver(events(2, "x"));
        assertThat(outcomes).allMatch(o -> o.kind() == Outcome.Kind.DEAD);
        assertThat(outcomes.get(0).detail()).contains("Invalid API key");
        assertThat(branch(2000, 1_000_000).deliver(List.of(event(9, "n/a", "x"))).get(0).kind())
                .isEqualTo(Outcome.Kind.DROPPED);
    }
}

package org.intercomhub.crm;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.fanout.BranchRoutes;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.fanout.RecordJson;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.record.RecordMapper;
import org.intercomhub.sandbox.CrmStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The CRM branch against the stub records API on loopback: mapping, modes, skips, status handling. */
class CrmBranchTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final CrmStub stub = new CrmStub(0, "k1");
    final List<BranchRoutes> routes = new ArrayList<>();

    @AfterEach
    void stop() {
        routes.forEach(BranchRoutes::close);
        stub.close();
    }

    CrmBranch branch(CrmSettings.Mode mode, boolean deleteUsers) {
        return branch("k1", mode, deleteUsers);
    }

    /** The branch delivering through routes/crm.camel.yaml, its HTTP endpoint pointed at the stub. */
    CrmBranch branch(String apiKey, CrmSettings.Mode mode, boolean deleteUsers) {
        return branch(apiKey, mode, deleteUsers, 4);
    }

    CrmBranch branch(String apiKey, CrmSettings.Mode mode, boolean deleteUsers, int concurrency) {
        CrmBranch branch = new CrmBranch(new CrmSettings(stub.baseUrl(), apiKey, mode, "company_id", "user_id",
                deleteUsers, Duration.ofSeconds(5)));
        routes.add(BranchRoutes.start("file:routes/crm.camel.yaml",
                Map.of("crm.base-url", stub.baseUrl(), "crm.api-key", apiKey, "crm.concurrency",
                        Integer.toString(concurrency)),
                "crmBranch", branch));
        return branch;
    }

    static CanonicalRecord user(int n) throws Exception {
        return contact("""
                {"type":"contact","id":"c%1$d","role":"user","external_id":"u-%1$d","email":"u%1$d@example.com",
                 "name":"User %1$d"}""".formatted(n));
    }

    static CanonicalRecord contact(String json) throws Exception {
        return new RecordMapper().toRecord("contacts", JSON.readTree(json), Source.PULL);
    }

    static CanonicalRecord company(String json) throws Exception {
        return new RecordMapper().toRecord("companies", JSON.readTree(json), Source.PULL);
    }

    static final String ADA = """
            {"type":"contact","id":"c1","role":"user","external_id":"u-1001","email":"ada@example.com",
             "name":"Ada King Lovelace","phone":"+44 20 1234","location":{"type":"location","country":"United Kingdom",
             "city":"London","region":"England"},"custom_attributes":{"timezone":"Europe/London"},
             "companies":{"type":"list","data":[{"type":"company","id":"ic1","company_id":"acme-1","name":"Acme"}],
             "has_more":false}}""";

    @Test
    void companiesBecomeAccountsAndUsersAreLinkedToThem() throws Exception {
        CrmBranch crm = branch(CrmSettings.Mode.CREATE, false);
        CanonicalRecord acme = company("{\"type\":\"company\",\"id\":\"ic1\",\"company_id\":\"acme-1\",\"name\":\"Acme\"}");
        // through the outbox's JSON form, as the branch really receives records
        List<Outcome> outcomes = crm.deliver(List.of(RecordJson.read(RecordJson.write(acme)),
                RecordJson.read(RecordJson.write(contact(ADA)))));
        assertThat(outcomes).extracting(Outcome::kind).containsExactly(Outcome.Kind.DELIVERED, Outcome.Kind.DELIVERED);
        assertThat(stub.records("account").get("acme-1").path("name").asText()).isEqualTo("Acme");
        var user = stub.records("user").get("u-1001");
        assertThat(user.path("first_name").asText()).isEqualTo("Ada");
        assertThat(user.path("last_name").asText()).isEqualTo("King Lovelace");
        assertThat(user.path("email").asText()).isEqualTo("ada@example.com");
        assertThat(user.path("phone").asText()).isEqualTo("+44 20 1234");
        assertThat(user.path("city").asText()).isEqualTo("London");
        assertThat(user.path("country").asText()).isEqualTo("United Kingdom");
        assertThat(user.path("timezone").asText()).isEqualTo("Europe/London");
        assertThat(user.path("account_ids").get(0).asText()).isEqualTo("acme-1");
    }

    @Test
    void onlyUsersAndCompaniesGoToTheCrmAndRecordsWithoutTheKeyAreSkipped() throws Exception {
        CrmBranch crm = branch(CrmSettings.Mode.CREATE, false);
        assertThat(crm.accepts(contact("{\"id\":\"l1\",\"role\":\"lead\",\"email\":\"x@y.z\"}"))).isFalse();
        assertThat(crm.accepts(new RecordMapper().toRecord("conversations", JSON.readTree("{\"id\":\"9\"}"),
                Source.PULL))).isFalse();
        assertThat(crm.accepts(CanonicalRecord.delete("contacts", "c1", Source.WEBHOOK, 1L))).isFalse();
        CanonicalRecord keyless = contact("{\"id\":\"c2\",\"role\":\"user\",\"email\":\"no-id@example.com\"}");
        CanonicalRecord companyKeyless = company("{\"id\":\"ic9\",\"name\":\"No Id Inc\"}");
        assertThat(crm.accepts(keyless)).isTrue();
        assertThat(crm.deliver(List.of(keyless, companyKeyless)))
                .extracting(Outcome::kind, Outcome::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Outcome.Kind.DROPPED, "user without user_id"),
                        org.assertj.core.groups.Tuple.tuple(Outcome.Kind.DROPPED, "company without company_id"));
        assertThat(stub.received()).isEmpty();
    }

    @Test
    void updateOnlyNeverCreates() throws Exception {
        CrmBranch create = branch(CrmSettings.Mode.CREATE, false);
        CrmBranch updateOnly = branch(CrmSettings.Mode.UPDATE_ONLY, false);
        CanonicalRecord known = company("{\"id\":\"ic1\",\"company_id\":\"acme-1\",\"name\":\"Acme\"}");
        CanonicalRecord unknown = company("{\"id\":\"ic2\",\"company_id\":\"new-2\",\"name\":\"New\"}");
        assertThat(create.deliver(List.of(known))).extracting(Outcome::kind).containsExactly(Outcome.Kind.DELIVERED);
        CanonicalRecord renamed = company("{\"id\":\"ic1\",\"company_id\":\"acme-1\",\"name\":\"Acme Ltd\"}");
        assertThat(updateOnly.deliver(List.of(renamed, unknown))).extracting(Outcome::kind)
                .containsExactly(Outcome.Kind.DELIVERED, Outcome.Kind.DROPPED);
        assertThat(stub.records("account")).containsOnlyKeys("acme-1");
        assertThat(stub.records("account").get("acme-1").path("name").asText()).isEqualTo("Acme Ltd");
    }

    @Test
    void deletesWhenConfigured() throws Exception {
        CrmBranch crm = branch(CrmSettings.Mode.CREATE, true);
        crm.deliver(List.of(contact(ADA)));
        CanonicalRecord deleted = new CanonicalRecord("contacts", "c1", CanonicalRecord.Operation.DELETE,
                Source.WEBHOOK, 5L, java.util.Map.of("external_id", "u-1001"), java.util.Map.of());
        assertThat(crm.accepts(deleted)).isTrue();
        assertThat(crm.deliver(List.of(deleted, deleted))).extracting(Outcome::kind)
                .containsExactly(Outcome.Kind.DELIVERED, Outcome.Kind.DELIVERED); // 404 the second time: gone
        assertThat(stub.records("user")).isEmpty();
        assertThat(branch(CrmSettings.Mode.CREATE, false).accepts(deleted)).isFalse();
    }

    @Test
    void statusHandling() throws Exception {
        // one call at a time: a 429 pauses every call after it (with more lanes, calls already made stand)
        CrmBranch crm = branch("k1", CrmSettings.Mode.CREATE, false, 1);
        CanonicalRecord a = company("{\"id\":\"ic1\",\"company_id\":\"acme-1\",\"name\":\"Acme\"}");
        CanonicalRecord b = company("{\"id\":\"ic2\",\"company_id\":\"bad-2\",\"name\":\"Bad\"}");
        stub.failWith(503);
        assertThat(crm.deliver(List.of(a))).extracting(Outcome::kind).containsExactly(Outcome.Kind.RETRY);
        stub.failWith(0);
        stub.throttleNext(1, 7);
        List<Outcome> throttled = crm.deliver(List.of(a, b));
        assertThat(throttled).extracting(Outcome::kind).containsExactly(Outcome.Kind.PAUSED, Outcome.Kind.PAUSED);
        assertThat(throttled.get(0).delay()).isEqualTo(Duration.ofSeconds(7));
        stub.rejectId("bad-2", "name is reserved");
        List<Outcome> outcomes = crm.deliver(List.of(a, b));
        assertThat(outcomes).extracting(Outcome::kind).containsExactly(Outcome.Kind.DELIVERED, Outcome.Kind.DEAD);
        assertThat(outcomes.get(1).detail()).contains("422").contains("name is reserved");
        CrmBranch wrongKey = branch("nope", CrmSettings.Mode.CREATE, false);
        assertThat(wrongKey.deliver(List.of(a))).extracting(Outcome::kind).containsExactly(Outcome.Kind.DEAD);
    }

    /**
     * The records API takes one record per call (no batch call in its contract), so a batch's calls go in parallel
     * lanes, one per key: every user arrives, and one user's upsert, delete and new upsert arrive in that order.
     */
    @Test
    void callsOfDifferentKeysGoInParallelAndOneKeysCallsInOrder() throws Exception {
        CrmBranch crm = branch("k1", CrmSettings.Mode.CREATE, true, 4);
        stub.answerDelay(Duration.ofMillis(100));
        List<CanonicalRecord> batch = new ArrayList<>();
        for (int n = 1; n <= 12; n++) {
            batch.add(user(n));
        }
        CanonicalRecord deleted = new CanonicalRecord("contacts", "c1", CanonicalRecord.Operation.DELETE,
                Source.WEBHOOK, 5L, Map.of("external_id", "u-1"), Map.of());
        CanonicalRecord back = contact("""
                {"type":"contact","id":"c1","role":"user","external_id":"u-1","email":"back@example.com","name":"Back"}""");
        batch.add(deleted);
        batch.add(back);
        List<Outcome> outcomes = crm.deliver(batch);
        assertThat(outcomes).hasSize(14).extracting(Outcome::kind).containsOnly(Outcome.Kind.DELIVERED);
        assertThat(stub.records("user")).hasSize(12);
        for (int n = 2; n <= 12; n++) {
            assertThat(stub.records("user").get("u-" + n).path("email").asText()).isEqualTo("u" + n + "@example.com");
        }
        assertThat(stub.records("user").get("u-1").path("email").asText()).isEqualTo("back@example.com");
        assertThat(stub.received().stream().filter(r -> r.id().equals("u-1")).map(CrmStub.Received::method))
                .containsExactly("POST", "DELETE", "POST");
        assertThat(stub.receivedCount()).isEqualTo(14);
        assertThat(stub.mostInFlight()).isBetween(2, 4);
    }

    /** A call failing in the middle of a batch: the others are settled, it stays queued and is delivered later. */
    @Test
    void aCallFailingMidBatchStaysQueuedAndNothingIsLost() throws Exception {
        branch(CrmSettings.Mode.CREATE, false);
        BranchRoutes route = routes.get(routes.size() - 1);
        List<CanonicalRecord> batch = new ArrayList<>();
        for (int n = 1; n <= 10; n++) {
            batch.add(user(n));
        }
        route.outbox().enqueue(batch);
        stub.failId("u-5", 503);
        assertThat(route.runner().drain("crm")).isEqualTo(10);
        assertThat(stub.records("user")).hasSize(9).doesNotContainKey("u-5");
        assertThat(route.outbox().queue("crm").rows()).isEqualTo(1);
        stub.clearFailures();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            route.runner().drain("crm");
            return route.outbox().queue("crm").rows() == 0;
        });
        assertThat(stub.records("user")).hasSize(10);
        // each user written once: the failed call was the only one made again
        assertThat(stub.received().stream().filter(r -> r.method().equals("POST")).map(CrmStub.Received::id))
                .hasSize(10).doesNotHaveDuplicates();
        assertThat(route.deadLetters().list("crm", null, null, 10)).isEmpty();
    }

    /** The queue keeps only what the branch maps: the same call from it as from the whole record. */
    @Test
    void theQueuedRecordMapsAsTheWholeRecord() throws Exception {
        CrmBranch crm = branch(CrmSettings.Mode.CREATE, false);
        CanonicalRecord whole = contact("""
                {"type":"contact","id":"c1","role":"user","external_id":"u-1001","email":"ada@example.com",
                 "name":"Ada King Lovelace","location":{"type":"location","country":"United Kingdom","city":"London"},
                 "custom_attributes":{"timezone":"Europe/London","plan":"pro"},
                 "tags":{"type":"list","data":[{"type":"tag","id":"t1","name":"vip"}]},
                 "social_profiles":{"type":"list","data":[{"type":"social_profile","name":"Twitter","url":"https://x.example/ada"}]},
                 "companies":{"type":"list","data":[{"type":"company","id":"ic1","company_id":"acme-1","name":"Acme"}],
                 "has_more":false}}""");
        String queuedJson = RecordJson.write(crm.queued(whole));
        CanonicalRecord queued = RecordJson.read(queuedJson);
        assertThat(whole.children()).containsKeys("contact_tags", "social_profiles");
        assertThat(queued.children()).containsOnlyKeys("contact_companies");
        assertThat(queued.row()).containsKeys("email", "role", "custom_plan").doesNotContainKeys("tags", "social_profiles");
        assertThat(queuedJson.length()).isLessThan(RecordJson.write(whole).length());
        CrmMapper mapper = new CrmMapper(new CrmSettings(stub.baseUrl(), "k1", CrmSettings.Mode.CREATE, "company_id",
                "user_id", false, Duration.ofSeconds(5)));
        assertThat(mapper.map(queued)).isEqualTo(mapper.map(RecordJson.read(RecordJson.write(whole))));
    }
}

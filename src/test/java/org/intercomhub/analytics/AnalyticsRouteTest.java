package org.intercomhub.analytics;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.sandbox.AmplitudeStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * routes/analytics.camel.yaml in the application: queued events leave through the HTTP endpoint the route names
 * ({{analytics.url}}, here the stub Amplitude on loopback), one request per 2,000 events at most, and Amplitude's
 * 400 and 429 answers are settled in the queue and the dead letters. AdviceWith puts a mock endpoint beside the
 * HTTP call to count the requests; the requests themselves go to the stub.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyticsRouteTest {

    static final AmplitudeStub AMPLITUDE = new AmplitudeStub(0, "amp-key");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("intercom.access-token", () -> "test-token");
        registry.add("intercom.base-url", () -> "http://127.0.0.1:9");
        registry.add("warehouse.url", () -> "jdbc:h2:mem:analytics-route-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        registry.add("sync.run-on-startup", () -> "false");
        registry.add("fanout.poll-interval-ms", () -> "50");
        registry.add("fanout.batch-size", () -> "5000");
        registry.add("crm.enabled", () -> "false");
        registry.add("analytics.url", AMPLITUDE::url);
        registry.add("analytics.api-key", () -> "amp-key");
        registry.add("analytics.throttle-pause", () -> "1h");
    }

    @AfterAll
    static void stop() {
        AMPLITUDE.close();
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    JdbcTemplate jdbc;

    static boolean advised;

    @BeforeEach
    void adviseOnce() throws Exception {
        if (!advised) {
            AdviceWith.adviceWith(camel, "analytics-send", route ->
                    route.weaveById("amplitude").before().to("mock:amplitude-requests"));
            camel.start();
            advised = true;
        }
        AMPLITUDE.reset();
        MockEndpoint.resetMocks(camel);
    }

    /** A webhook notification's contact record: an "[Intercom] contact.user.updated" event with insert_id notif_n. */
    static CanonicalRecord notified(int n, String user) {
        return new CanonicalRecord("contacts", "c" + n, CanonicalRecord.Operation.UPSERT, Source.WEBHOOK, 1700000000L,
                Map.of("id", "c" + n, "role", "user", "external_id", user, "email", "u" + n + "@example.com"),
                Map.of(), new CanonicalRecord.Event("contact.user.updated", "notif_" + n, 1700000000L + n));
    }

    long count(String table, String where) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM intercom_hub." + table + " WHERE " + where, Long.class);
        return n == null ? 0 : n;
    }

    @Test
    @Order(1)
    void oneRequestPer2000EventsToTheEndpointTheRouteNames() throws Exception {
        MockEndpoint requests = camel.getEndpoint("mock:amplitude-requests", MockEndpoint.class);
        requests.expectedMessageCount(3);
        List<CanonicalRecord> batch = new ArrayList<>();
        for (int i = 0; i < 4500; i++) {
            batch.add(notified(i, "user-" + (10000 + i % 50)));
        }
        producer.sendBody("direct:fanout", batch);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("branch_outbox", "branch = 'analytics'") == 0);
        requests.assertIsSatisfied();
        assertThat(AMPLITUDE.requests()).isEqualTo(3);
        assertThat(AMPLITUDE.ingestedByInsertId()).hasSize(4500);
        assertThat(AMPLITUDE.ingestedByInsertId().values()).allMatch(n -> n.get() == 1);
        assertThat(AMPLITUDE.largestRequestBytes()).isLessThan(1_000_000);
    }

    @Test
    @Order(2)
    void a400DeadLettersTheNamedEventAndA429PausesOnlyTheThrottledUser() {
        AMPLITUDE.invalidInsertId("notif_5003");
        AMPLITUDE.throttleUsers(user -> user.equals("user-throttled"));
        List<CanonicalRecord> batch = new ArrayList<>();
        for (int i = 5000; i < 5010; i++) {
            batch.add(notified(i, i == 5007 ? "user-throttled" : "user-" + i));
        }
        producer.sendBody("direct:fanout", batch);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("dead_letters", "branch = 'analytics'") == 1
                && count("branch_outbox", "branch = 'analytics'") == 1 && AMPLITUDE.ingestedByInsertId().size() == 8);
        assertThat(jdbc.queryForObject("SELECT last_error FROM intercom_hub.dead_letters WHERE branch = 'analytics'",
                String.class)).contains("HTTP 400 invalid field event_properties");
        assertThat(jdbc.queryForObject("SELECT record_id FROM intercom_hub.dead_letters", String.class)).isEqualTo("c5003");
        // the throttled user's event waits in the queue, not counted as an attempt, for analytics.throttle-pause
        assertThat(count("branch_outbox", "branch = 'analytics' AND record_id = 'c5007' AND attempts = 0")).isEqualTo(1);
        assertThat(AMPLITUDE.timesIngested("notif_5003")).isZero();
        assertThat(AMPLITUDE.timesIngested("notif_5007")).isZero();
        assertThat(AMPLITUDE.timesIngested("notif_5009")).isEqualTo(1);
    }
}

package org.intercomhub.fanout;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.intercomhub.HubStart;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.pull.PullCatalog;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.sandbox.AmplitudeStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The fan-out route in the Camel way: a batch goes to the warehouse first (the route's mock endpoint sees it, the
 * real H2 warehouse stores it) and then to the analytics branch (the stub Amplitude on loopback receives it); when
 * the warehouse write fails, the caller gets the failure and nothing is queued for the branches.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class FanoutRouteTest {

    static final AmplitudeStub AMPLITUDE = new AmplitudeStub(HubStart.freePort(), "route-test-key");
    /** While set, the warehouse step of the fan-out throws (the warehouse is down). */
    static final AtomicBoolean WAREHOUSE_DOWN = new AtomicBoolean();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("intercom.base-url", () -> "http://127.0.0.1:9");
        registry.add("intercom.access-token", () -> "unused");
        registry.add("warehouse.url", () -> "jdbc:h2:mem:fanout-route-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        registry.add("sync.run-on-startup", () -> "false");
        registry.add("analytics.api-key", () -> "route-test-key");
        registry.add("analytics.url", AMPLITUDE::url);
        registry.add("fanout.poll-interval-ms", () -> "50");
        for (String collection : new PullCatalog().names()) {
            registry.add("sync.collections." + collection + ".enabled", () -> "false");
        }
    }

    @AfterAll
    static void stopStub() {
        AMPLITUDE.close();
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    JdbcTemplate jdbc;
    @EndpointInject("mock:direct:warehouse")
    MockEndpoint warehouse;

    @BeforeEach
    void adviseOnceAndStart() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "fanout", route -> {
                route.mockEndpoints("direct:warehouse");
                route.weaveByToUri("direct:warehouse").before().process(exchange -> {
                    if (WAREHOUSE_DOWN.get()) {
                        throw new IllegalStateException("warehouse unavailable (injected by the test)");
                    }
                });
            });
            camel.start();
        }
        warehouse.reset();
        WAREHOUSE_DOWN.set(false);
    }

    private static CanonicalRecord contact(String id) {
        return CanonicalRecord.upsert("contacts", id, Source.PULL, 1_700_000_000L,
                Map.of("id", id, "role", "user", "external_id", "user-" + id, "email", id + "@example.com"), Map.of());
    }

    @Test
    void aBatchIsStoredFirstThenReachesTheAnalyticsBranch() throws Exception {
        warehouse.expectedMessageCount(1);
        List<CanonicalRecord> batch = List.of(contact("c-batch-1"), contact("c-batch-2"));

        producer.sendBody("direct:fanout", batch);

        warehouse.assertIsSatisfied();
        assertThat(warehouse.getReceivedExchanges().get(0).getIn().getBody(List.class)).hasSize(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"intercom\".\"contacts\" WHERE \"id\" LIKE 'c-batch-%'",
                Long.class)).isEqualTo(2);
        await().atMost(Duration.ofSeconds(15)).until(() -> AMPLITUDE.ingested().stream()
                .filter(event -> event.path("user_id").asText().startsWith("user-c-batch-")).count() == 2);
    }

    @Test
    void aWarehouseFailureReachesTheCallerAndQueuesNothing() {
        WAREHOUSE_DOWN.set(true);
        assertThatThrownBy(() -> producer.sendBody("direct:fanout", List.of(contact("c-route-down"))))
                .isInstanceOf(CamelExecutionException.class)
                .hasRootCauseMessage("warehouse unavailable (injected by the test)");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM intercom_hub.branch_outbox WHERE record_id = ?",
                Long.class, "c-route-down")).isZero();

        // the branch delivers in queue order: once a later batch has arrived, an earlier queued one would have too
        WAREHOUSE_DOWN.set(false);
        producer.sendBody("direct:fanout", List.of(contact("c-route-after")));
        await().atMost(Duration.ofSeconds(15)).until(() -> AMPLITUDE.ingested().stream()
                .anyMatch(event -> event.path("user_id").asText().equals("user-c-route-after")));
        assertThat(AMPLITUDE.ingested()).noneMatch(event -> event.path("user_id").asText().equals("user-c-route-down"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"intercom\".\"contacts\" WHERE \"id\" = 'c-route-down'",
                Long.class)).isZero();
    }
}

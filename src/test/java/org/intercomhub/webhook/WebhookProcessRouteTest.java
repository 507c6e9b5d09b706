package org.intercomhub.webhook;

import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.pull.PullCatalog;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sandbox.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook routes in the Camel way: a signed notification posted to the hub reaches direct:fanout once (the
 * route's mock endpoint sees it), a redelivery does not, and a fan-out failure leaves it in the inbox to be tried
 * again. The warehouse is a real (embedded H2) database; the notifications come from the sandbox's signed sender.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WebhookProcessRouteTest {

    static final SandboxServer SANDBOX = SandboxServer.start(SandboxConfig.defaults().withPort(0).withContacts(20)
            .withCompanies(5).withConversations(5).withTickets(5));
    static final String SECRET = "route-test-secret";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("intercom.base-url", SANDBOX::baseUrl);
        registry.add("intercom.access-token", () -> SANDBOX.config().accessToken());
        registry.add("warehouse.url", () -> "jdbc:h2:mem:webhook-route-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        registry.add("sync.run-on-startup", () -> "false");
        registry.add("webhook.client-secret", () -> SECRET);
        registry.add("webhook.poll-interval-ms", () -> "50");
        // no scheduled pull sends its pages to direct:fanout while the tests watch it
        for (String collection : new PullCatalog().names()) {
            registry.add("sync.collections." + collection + ".enabled", () -> "false");
        }
    }

    @AfterAll
    static void stopSandbox() {
        SANDBOX.close();
    }

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;
    @EndpointInject("mock:direct:fanout")
    MockEndpoint fanout;

    /** While above zero, the fan-out step of webhook-process throws (the warehouse is down). */
    static final AtomicInteger FAN_OUT_FAILURES = new AtomicInteger();

    @BeforeEach
    void adviseOnceAndStart() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "webhook-process", route -> {
                route.mockEndpoints("direct:fanout");
                route.weaveByToUri("direct:fanout").before().process(exchange -> {
                    if (FAN_OUT_FAILURES.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new IllegalStateException("warehouse unavailable (injected by the test)");
                    }
                });
            });
            camel.start();
        }
        fanout.reset();
    }

    private WebhookSender sender() {
        return new WebhookSender(SANDBOX.workspace(), "app", URI.create("http://127.0.0.1:" + port
                + "/webhooks/intercom"), SECRET);
    }

    @Test
    void aSignedNotificationReachesTheFanOutOnceAndARedeliveryDoesNot() throws Exception {
        String contactId = SANDBOX.workspace().contactIds().get(3);
        fanout.expectedMessageCount(1);

        WebhookSender.Delivery first = sender().contact("contact.user.updated", contactId);
        assertThat(first.status()).isEqualTo(200);
        assertThat(sender().redeliver(first).status()).isEqualTo(200);

        fanout.assertIsSatisfied(2_000);
        List<?> batch = fanout.getReceivedExchanges().get(0).getIn().getBody(List.class);
        assertThat(batch).singleElement().isInstanceOfSatisfying(CanonicalRecord.class, record -> {
            assertThat(record.id()).isEqualTo(contactId);
            assertThat(record.source()).isEqualTo(CanonicalRecord.Source.WEBHOOK);
        });
        // the mock sees the batch on its way in; the fan-out then stores it and the inbox marks it processed
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM"
                + " \"intercom\".\"contacts\" WHERE \"id\" = ?", Long.class, contactId) == 1);
        // the redelivery was recognised at the door: one inbox row, processed, so no second batch can follow
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForList("SELECT processed_at FROM"
                + " intercom_hub.webhook_inbox WHERE notification_id = ?", Long.class, first.id()).get(0) != null);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM intercom_hub.webhook_inbox WHERE notification_id = ?",
                Long.class, first.id())).isEqualTo(1);
    }

    @Test
    void aFanOutFailureKeepsTheNotificationInTheInboxAndItIsTriedAgain() throws Exception {
        String contactId = SANDBOX.workspace().contactIds().get(5);
        FAN_OUT_FAILURES.set(1);
        fanout.expectedMessageCount(1);

        assertThat(sender().contact("contact.user.updated", contactId).status()).isEqualTo(200);

        // the first attempt failed before the fan-out; the inbox's backoff (1 s) brings it back once
        fanout.assertIsSatisfied(15_000);
        assertThat(FAN_OUT_FAILURES).hasValue(0);
        assertThat(fanout.getReceivedExchanges().get(0).getIn().getBody(List.class)).singleElement()
                .satisfies(record -> assertThat(((CanonicalRecord) record).id()).isEqualTo(contactId));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM"
                + " intercom_hub.webhook_inbox WHERE processed_at IS NULL", Long.class) == 0);
    }
}

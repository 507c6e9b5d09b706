package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.IdentifyMessage;
import com.segment.analytics.messages.TrackMessage;
import org.intercomhub.HubStart;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo (H2 warehouse and bookkeeping, the sandbox as Intercom) takes Segment calls with its demo write key, as
 * README's "Tracking API" shows.
 */
class TrackingDemoTest {

    @Test
    void theDemoTakesSegmentCallsWithItsDemoWriteKey() {
        try (ConfigurableApplicationContext demo = HubStart.demo("tracking-demo-" + System.nanoTime(), 20, 5)
                .arg("tracking.poll-interval-ms", 50)
                .run()) {
            int port = Integer.parseInt(demo.getEnvironment().getProperty("local.server.port"));
            SandboxServer sandbox = demo.getBean(SandboxServer.class);
            Analytics analytics = Analytics.builder("demo-write-key").endpoint("http://127.0.0.1:" + port)
                    .flushInterval(1, TimeUnit.HOURS).build();
            try {
                analytics.enqueue(IdentifyMessage.builder().userId("demo-user-1")
                        .traits(Map.of("email", "demo-user-1@example.com", "name", "Demo User")));
                analytics.enqueue(TrackMessage.builder("Demo Viewed").userId("demo-user-1"));
                analytics.flush();
                await().atMost(Duration.ofMinutes(1)).until(() -> contact(sandbox, "demo-user-1") != null
                        && sandbox.workspace().events(contact(sandbox, "demo-user-1").path("id").asText()).size() == 1);
            } finally {
                analytics.shutdown();
            }
            assertThat(contact(sandbox, "demo-user-1").path("name").asText()).isEqualTo("Demo User");
            JdbcTemplate jdbc = demo.getBean(JdbcTemplate.class);
            await().atMost(Duration.ofMinutes(1)).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM \"intercom\".\"tracks\" WHERE \"user_id\" = 'demo-user-1'", Long.class) == 1);
        }
    }

    static ObjectNode contact(SandboxServer sandbox, String userId) {
        for (String id : sandbox.workspace().contactIds()) {
            ObjectNode contact = sandbox.workspace().contact(id);
            if (contact != null && userId.equals(contact.path("external_id").asText(null))) {
                return contact;
            }
        }
        return null;
    }
}

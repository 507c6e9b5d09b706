package org.intercomhub.demo;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.intercomhub.HubStart;
import org.intercomhub.intercom.IntercomSettings;
import org.intercomhub.sandbox.AmplitudeStub;
import org.intercomhub.sandbox.CrmStub;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sync.CollectionStatus;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.sync.SyncTrigger;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo profile (what ./mvnw spring-boot:run starts): the sandbox and both stub receivers run, the hub is pointed
 * at them by application-demo.yaml, and a pull goes through the warehouse and both branches.
 */
class DemoProfileTest {

    @Test
    void demoStartsTheSandboxAndTheStubsAndSyncsThroughThem() {
        int sandboxPort = HubStart.freePort();
        try (ConfigurableApplicationContext demo = demo("demo-test", sandboxPort, 60, 10)
                .arg("fanout.poll-interval-ms", 50)
                .run()) {
            SandboxServer sandbox = demo.getBean(SandboxServer.class);
            AmplitudeStub amplitude = demo.getBean(AmplitudeStub.class);
            CrmStub crm = demo.getBean(CrmStub.class);
            assertThat(sandbox.baseUrl()).isEqualTo("http://127.0.0.1:" + sandboxPort);
            assertThat(demo.getBean(IntercomSettings.class).effectiveBaseUrl().toString()).isEqualTo(sandbox.baseUrl());

            CamelContext camel = demo.getBean(CamelContext.class);
            assertThat(camel.getRouteController().getRouteStatus("analytics")).isEqualTo(ServiceStatus.Started);
            assertThat(camel.getRouteController().getRouteStatus("crm")).isEqualTo(ServiceStatus.Started);

            Instant triggered = Instant.now();
            assertThat(demo.getBean(SyncTrigger.class).trigger("contacts")).isEqualTo(SyncTrigger.Outcome.STARTED);
            SyncStatusBoard status = demo.getBean(SyncStatusBoard.class);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                CollectionStatus.Snapshot s = status.of("contacts").snapshot(null);
                return s.lastRunStartedAt() != null && !s.lastRunStartedAt().isBefore(triggered)
                        && s.lastRunEndedAt() != null;
            });
            assertThat(status.of("contacts").snapshot(null).state()).isEqualTo("succeeded");
            Long rows = demo.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM \"intercom\".\"contacts\"",
                    Long.class);
            assertThat(rows).isEqualTo(60L);
            // both branches delivered to their stubs
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(amplitude.requests()).isPositive();
                assertThat(crm.receivedCount()).isPositive();
            });
        }
    }

    @Test
    void demoPushSyncsSendTheirModelsToTheSandboxAndTheNextPullBringsThemBack() throws Exception {
        try (ConfigurableApplicationContext demo = demo("demo-push-test", HubStart.freePort(), 30, 5).run()) {
            SandboxServer sandbox = demo.getBean(SandboxServer.class);
            JdbcTemplate jdbc = demo.getBean(JdbcTemplate.class);
            String port = demo.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newHttpClient();
            for (String sync : List.of("demo_companies", "demo_users", "demo_events")) {
                HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/push/" + sync)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(started.statusCode()).as(started.body()).isIn(202, 409); // 409: its minute came first
                await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100)).until(() -> jdbc.queryForObject(
                        "SELECT COUNT(*) FROM intercom_hub.push_runs WHERE sync_name = ? AND state = 'succeeded'",
                        Long.class, sync) > 0);
            }
            List<ObjectNode> pushed = sandbox.workspace().contactIds().stream().map(sandbox.workspace()::contact)
                    .filter(c -> c.path("email").asText().startsWith("crm.user")).toList();
            assertThat(pushed).hasSize(20);
            ObjectNode user4 = pushed.stream().filter(c -> c.path("external_id").asText().equals("crm-user-4"))
                    .findFirst().orElseThrow();
            assertThat(user4.path("custom_attributes").path("crm_segment").asText()).isEqualTo("champion");
            assertThat(sandbox.workspace().events(user4.path("id").asText())).hasSize(2);

            // the contacts pull searches by updated_at, and Intercom's search shows new contacts a minute late
            sandbox.workspace().setClock(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(2)));
            Instant triggered = Instant.now();
            assertThat(demo.getBean(SyncTrigger.class).trigger("contacts")).isEqualTo(SyncTrigger.Outcome.STARTED);
            SyncStatusBoard status = demo.getBean(SyncStatusBoard.class);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
                CollectionStatus.Snapshot s = status.of("contacts").snapshot(null);
                return s.lastRunStartedAt() != null && !s.lastRunStartedAt().isBefore(triggered)
                        && s.lastRunEndedAt() != null;
            });
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"intercom\".\"contacts\" WHERE \"email\" LIKE "
                    + "'crm.user%'", Long.class)).isEqualTo(20L);
        }
    }

    static HubStart demo(String database, int sandboxPort, int contacts, int companies) {
        return HubStart.demo(database, sandboxPort, contacts, companies);
    }
}

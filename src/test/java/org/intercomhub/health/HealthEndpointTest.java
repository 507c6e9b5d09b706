package org.intercomhub.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.h2.tools.Server;
import org.intercomhub.HubStart;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /actuator/health and its probes on the running hub, over real HTTP: open for the status, details for an admin. */
class HealthEndpointTest {

    static final String ADMIN = "health-admin-token-8c1f4e2a";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void probesAreOpenAndDetailsAreForAnAdmin() throws Exception {
        try (SandboxServer sandbox = smallSandbox("intercom-right-token");
             ConfigurableApplicationContext hub = hubOn(sandbox, "intercom-right-token", inMemory()).run()) {
            Http http = new Http(hub);
            for (String probe : new String[] {"/actuator/health", "/actuator/health/liveness",
                    "/actuator/health/readiness"}) {
                HttpResponse<String> open = http.get(probe, null);
                assertThat(open.statusCode()).as(probe).isEqualTo(200);
                assertThat(JSON.readTree(open.body()).path("status").asText()).isEqualTo("UP");
                assertThat(JSON.readTree(open.body()).has("components")).as(probe).isFalse();
                assertThat(http.get(probe, "Bearer wrong-token-0000000000").statusCode()).isEqualTo(200);
            }
            JsonNode all = JSON.readTree(http.get("/actuator/health", "Bearer " + ADMIN).body()).path("components");
            assertThat(all.path("db").path("status").asText()).isEqualTo("UP");
            assertThat(all.path("bookkeeping").path("status").asText()).isEqualTo("UP");
            assertThat(all.path("bookkeeping").path("details").path("version").asText()).isNotBlank();
            assertThat(all.path("intercom").path("status").asText()).isEqualTo("UP");
            JsonNode readiness = JSON.readTree(http.get("/actuator/health/readiness", "Bearer " + ADMIN).body());
            assertThat(readiness.path("components").fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("readinessState", "db", "bookkeeping");
            JsonNode liveness = JSON.readTree(http.get("/actuator/health/liveness", "Bearer " + ADMIN).body());
            assertThat(liveness.path("components").fieldNames()).toIterable().containsExactly("livenessState");
            // the other actuator endpoints: admin only, and only health is exposed at all
            assertThat(http.get("/actuator", null).statusCode()).isEqualTo(401);
            assertThat(http.get("/actuator/health/db", null).statusCode()).isEqualTo(401);
            assertThat(http.get("/actuator/env", null).statusCode()).isEqualTo(401);
            assertThat(http.get("/actuator/beans", "Bearer wrong-token-0000000000").statusCode()).isEqualTo(401);
            assertThat(http.get("/actuator", "Bearer " + ADMIN).statusCode()).isEqualTo(200);
            assertThat(http.get("/actuator/env", "Bearer " + ADMIN).statusCode()).isEqualTo(404);
            assertThat(http.get("/actuator/health/db", "Bearer " + ADMIN).statusCode()).isEqualTo(200);

            // a permission Intercom refuses (403): intercom DOWN naming it, until a call succeeds again
            sandbox.faults().withholdPermission("/admins");
            assertThat(http.post("/sync/admins", "Bearer " + ADMIN).statusCode()).isEqualTo(202);
            JsonNode intercom = awaitIntercom(http, "DOWN");
            assertThat(intercom.path("details").path("status").asInt()).isEqualTo(403);
            assertThat(intercom.path("details").path("missingPermission").asText()).isNotBlank();
            assertThat(intercom.path("details").path("reason").asText()).contains("/admins");
            sandbox.faults().reset();
            awaitIdle(http, "admins");
            assertThat(http.post("/sync/admins", "Bearer " + ADMIN).statusCode()).isEqualTo(202);
            awaitIntercom(http, "UP");
        }
    }

    @Test
    void anAccessTokenIntercomRefusesTakesIntercomDownWithTheReasonButNotLivenessOrReadiness() throws Exception {
        try (SandboxServer sandbox = smallSandbox("intercom-right-token");
             ConfigurableApplicationContext hub = hubOn(sandbox, "intercom-revoked-token", inMemory()).run()) {
            Http http = new Http(hub);
            assertThat(http.post("/sync/tags", "Bearer " + ADMIN).statusCode()).isEqualTo(202);
            JsonNode intercom = awaitIntercom(http, "DOWN");
            assertThat(intercom.path("details").path("status").asInt()).isEqualTo(401);
            assertThat(intercom.path("details").path("reason").asText())
                    .contains("access token invalid or revoked").contains("INTERCOM_ACCESS_TOKEN");

            HttpResponse<String> open = http.get("/actuator/health", null);
            assertThat(open.statusCode()).isEqualTo(503);
            assertThat(open.body()).doesNotContain("intercom").doesNotContain("access token")
                    .doesNotContain("intercom-revoked-token");
            assertThat(http.get("/actuator/health", "Bearer " + ADMIN).body()).doesNotContain("intercom-revoked-token");
            assertThat(http.get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
            assertThat(http.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aWarehouseThatGoesAwayTakesReadinessDownAndLivenessStaysUp() throws Exception {
        int port = HubStart.freePort();
        Server warehouse = Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
        try (SandboxServer sandbox = smallSandbox("intercom-right-token");
             ConfigurableApplicationContext hub = hubOn(sandbox, "intercom-right-token",
                     "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:hub-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                     // a probe must answer before its timeout: wait for a connection at most this long
                     .arg("spring.datasource.hikari.connection-timeout", "1000")
                     .run()) {
            Http http = new Http(hub);
            assertThat(http.get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
            warehouse.stop();

            HttpResponse<String> readiness = http.get("/actuator/health/readiness", null);
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(readiness.body()).path("status").asText()).isEqualTo("DOWN");
            JsonNode components = JSON.readTree(http.get("/actuator/health/readiness", "Bearer " + ADMIN).body())
                    .path("components");
            assertThat(components.path("db").path("status").asText()).isEqualTo("DOWN");
            assertThat(components.path("bookkeeping").path("status").asText()).isEqualTo("UP");
            HttpResponse<String> liveness = http.get("/actuator/health/liveness", null);
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(liveness.body()).path("status").asText()).isEqualTo("UP");
        } finally {
            warehouse.stop();
        }
    }

    private static SandboxServer smallSandbox(String token) {
        return SandboxServer.start(SandboxConfig.defaults().withPort(0).withContacts(5).withCompanies(3)
                .withConversations(2).withAccessToken(token));
    }

    private static String inMemory() {
        return "jdbc:h2:mem:hub-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private static HubStart hubOn(SandboxServer sandbox, String token, String warehouseUrl) {
        return HubStart.bare()
                .arg("warehouse.url", warehouseUrl)
                .arg("intercom.base-url", sandbox.baseUrl())
                .arg("intercom.access-token", token)
                .arg("intercom.max-retries", 0)
                .arg("admin.tokens", ADMIN);
    }

    private static JsonNode awaitIntercom(Http http, String status) {
        return await().atMost(Duration.ofSeconds(30)).until(() ->
                JSON.readTree(http.get("/actuator/health", "Bearer " + ADMIN).body()).path("components")
                        .path("intercom"), node -> status.equals(node.path("status").asText()));
    }

    private static void awaitIdle(Http http, String collection) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !"running".equals(JSON.readTree(
                http.get("/sync/status", "Bearer " + ADMIN).body()).path("collections").path(collection)
                .path("state").asText()));
    }

    record Http(HttpClient client, int port) {
        Http(ConfigurableApplicationContext hub) {
            this(HttpClient.newHttpClient(), ((WebServerApplicationContext) hub).getWebServer().getPort());
        }

        HttpResponse<String> get(String path, String authorization) throws Exception {
            return send("GET", path, authorization);
        }

        HttpResponse<String> post(String path, String authorization) throws Exception {
            return send("POST", path, authorization);
        }

        private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}

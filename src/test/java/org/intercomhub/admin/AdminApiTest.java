package org.intercomhub.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.HubStart;
import org.intercomhub.sync.CollectionStatus;
import org.intercomhub.sync.SyncStatusBoard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The running hub with HUB_ADMIN_TOKENS set (two, as while rotating): every management call over real HTTP. */
class AdminApiTest {

    static final String OLD = "old-admin-token-5f2b9c1e7a";
    static final String NEW = "new-admin-token-9d4e0a6b3c";

    static ConfigurableApplicationContext hub;
    static AdminHttp http;

    @BeforeAll
    static void start() {
        hub = HubStart.production().withoutSchedules()
                .arg("admin.tokens", OLD + "," + NEW)
                .arg("intercom.max-retries", 0) // a triggered pull fails at once: nothing listens on its base URL
                .run();
        http = new AdminHttp(((WebServerApplicationContext) hub).getWebServer().getPort());
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void everyManagementCallWithoutATokenOrWithAWrongOneIsRefusedAndDoesNothing() throws Exception {
        SyncStatusBoard board = hub.getBean(SyncStatusBoard.class);
        for (AdminHttp.Call call : AdminHttp.ROUTE_CALLS) {
            for (String authorization : new String[] {null, "Bearer wrong-admin-token-000000", "Bearer " + OLD + "x",
                    "Bearer", "Basic " + OLD, OLD}) {
                HttpResponse<String> response = http.send(call, authorization);
                assertThat(response.statusCode()).as(call + " with " + authorization).isEqualTo(401);
                assertThat(response.headers().firstValue("Content-Type")).get().asString()
                        .startsWith("application/json");
                JsonNode error = new ObjectMapper().readTree(response.body());
                assertThat(error.path("error").asText()).isEqualTo("unauthorized");
                assertThat(error.path("message").asText()).contains("HUB_ADMIN_TOKENS");
                assertThat(response.body()).doesNotContain("collections").doesNotContain("dead_letters")
                        .doesNotContain(OLD).doesNotContain(NEW);
            }
        }
        HttpResponse<String> refused = http.send("POST", "/sync/admins", null, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        CollectionStatus.Snapshot admins = board.of("admins").snapshot(null);
        assertThat(admins.state()).isEqualTo("idle");
        assertThat(admins.lastRunStartedAt()).isNull();
        // not even asked for: the first authorized call starts it rather than finding it pending
        assertThat(http.send("POST", "/sync/admins", null, "Bearer " + NEW).statusCode()).isEqualTo(202);
    }

    @Test
    void eachTokenOfTheRotationListIsAccepted() {
        for (String token : new String[] {OLD, NEW}) {
            assertThat(http.send("GET", "/sync/status", null, "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(http.send("GET", "/dead-letters", null, "bearer " + token).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void everyManagementCallWithTheRightTokenIsAnswered() {
        for (AdminHttp.Call call : AdminHttp.ROUTE_CALLS) {
            HttpResponse<String> response = http.send(call, "Bearer " + OLD);
            assertThat(response.statusCode()).as(call + ": " + response.body()).isEqualTo(call.authorizedStatus());
        }
    }

    @Test
    void theAnswerNeverEchoesTheTokenBack() {
        // platform-http copies request headers into the answer; the gate drops the credentials among them
        for (AdminHttp.Call call : AdminHttp.ROUTE_CALLS) {
            for (String authorization : new String[] {"Bearer " + NEW, "Bearer " + NEW + "-wrong"}) {
                HttpResponse<String> response = http.send(call, authorization);
                assertThat(response.headers().firstValue("Authorization")).as(call.toString()).isEmpty();
                assertThat(response.headers().map().toString()).doesNotContain(NEW);
            }
        }
    }

    @Test
    void anUnknownPathIsAdminToo() {
        assertThat(http.send("GET", "/no-such-thing", null, null).statusCode()).isEqualTo(401);
        assertThat(http.send("GET", "/no-such-thing", null, "Bearer " + OLD).statusCode()).isEqualTo(404);
    }

    @Test
    void theWebhookKeepsItsOwnSignatureAndNeedsNoAdminToken() {
        // not signed: refused by the webhook's HMAC check, not by the admin gate
        HttpResponse<String> response = http.send("POST", "/webhooks/intercom", "{\"type\":\"notification_event\"}",
                null);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("HUB_ADMIN_TOKENS");
    }
}

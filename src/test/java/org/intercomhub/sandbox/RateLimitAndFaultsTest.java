package org.intercomhub.sandbox;

import org.intercomhub.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitAndFaultsTest {

    MutableClock clock;
    SandboxServer server;
    SandboxHttp http;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.parse("2025-06-15T16:00:03Z"));
        server = SandboxServer.start(SandboxConfig.builder().clock(clock).contacts(200).rateLimitPer10s(5).build());
        http = new SandboxHttp(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void headersCountDownThenA429UntilTheWindowResets() {
        long reset = Instant.parse("2025-06-15T16:00:10Z").getEpochSecond();
        for (int k = 1; k <= 5; k++) {
            SandboxHttp.Answer a = http.get("/admins");
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.header("X-RateLimit-Limit")).isEqualTo("5");
            assertThat(a.header("X-RateLimit-Remaining")).isEqualTo(Integer.toString(5 - k));
            assertThat(a.header("X-RateLimit-Reset")).isEqualTo(Long.toString(reset));
        }
        SandboxHttp.Answer limited = http.get("/tags");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().at("/errors/0/code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(limited.json().at("/errors/0/message").asText()).isEqualTo("Exceeded rate limit of 5 in 10_seconds");
        assertThat(limited.header("X-RateLimit-Remaining")).isEqualTo("0");
        assertThat(server.stats().rateLimitedResponses()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(7));
        SandboxHttp.Answer fresh = http.get("/tags");
        assertThat(fresh.status()).isEqualTo(200);
        assertThat(fresh.header("X-RateLimit-Remaining")).isEqualTo("4");

        server.setRateLimitPer10s(0);
        SandboxHttp.Answer unlimited = http.get("/teams");
        assertThat(unlimited.header("X-RateLimit-Limit")).isEqualTo(Integer.toString(RateLimitWindow.UNLIMITED_ANNOUNCED));
    }

    @Test
    void failNextAnswers5xxWithAnErrorBodyThenRecovers() {
        server.faults().failNext(2, 503);
        assertThat(http.get("/admins").status()).isEqualTo(503);
        SandboxHttp.Answer second = http.get("/admins");
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.json().path("type").asText()).isEqualTo("error.list");
        assertThat(http.get("/admins").status()).isEqualTo(200);
        assertThat(server.stats().serverErrorResponses()).isEqualTo(2);
    }

    @Test
    void failNextMatchingOnlyHitsThatPath() {
        server.faults().failNextMatching("/contacts/search", 1, 500);
        assertThat(http.get("/teams").status()).isEqualTo(200);
        assertThat(http.post("/contacts/search", "{}").status()).isEqualTo(500);
        assertThat(http.post("/contacts/search", "{}").status()).isEqualTo(200);
    }

    @Test
    void dropNextClosesTheConnectionWithoutAResponse() throws Exception {
        server.faults().dropNext(1);
        // A raw socket: java.net.http.HttpClient silently retries a GET once when the connection is dropped.
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /admins HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer sandbox-token\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            assertThat(socket.getInputStream().readAllBytes()).isEmpty();
        }
        assertThat(http.get("/admins").status()).isEqualTo(200);
    }

    @Test
    void controlEndpointsNeedNoAuthAndMutate() {
        SandboxHttp anonymous = new SandboxHttp(server.baseUrl(), null);
        SandboxHttp.Answer ids = anonymous.post("/sandbox/mutate?collection=contacts&count=4", "");
        assertThat(ids.status()).isEqualTo(200);
        assertThat(ids.json()).hasSize(4);
        http.get("/contacts/" + ids.json().get(0).asText());
        SandboxHttp.Answer stats = anonymous.get("/sandbox/stats");
        assertThat(stats.json().path("requests_per_path").path("GET /contacts/{id}").asInt()).isEqualTo(1);
    }

    @Test
    void referenceCollectionsHaveTheirListTypes() {
        server.setRateLimitPer10s(0);
        assertThat(http.get("/admins").json().path("admins")).hasSize(8);
        assertThat(http.get("/teams").json().path("type").asText()).isEqualTo("team.list");
        assertThat(http.get("/tags").json().path("data")).hasSize(30);
        assertThat(http.get("/segments").json().at("/segments/0").has("count")).isFalse();
        assertThat(http.get("/segments?include_count=true").json().at("/segments/0/count").isInt()).isTrue();
        assertThat(http.get("/admins/activity_logs").status()).isEqualTo(400);
        SandboxHttp.Answer logs = http.get("/admins/activity_logs?created_at_after=0&per_page=100");
        assertThat(logs.json().path("type").asText()).isEqualTo("activity_log.list");
        assertThat(logs.json().path("activity_logs")).hasSize(100);
        assertThat(logs.json().at("/pages/total_pages").asInt()).isEqualTo(3);
        assertThat(logs.json().at("/pages/next").asText()).contains("created_at_after=0").contains("page=2");
    }
}

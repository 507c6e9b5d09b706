package org.intercomhub.sandbox;

import org.intercomhub.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CompanyScrollTest {

    MutableClock clock;
    SandboxServer server;
    SandboxHttp http;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.parse("2025-06-15T16:00:00Z"));
        server = SandboxServer.start(SandboxConfig.builder().clock(clock).build());
        http = new SandboxHttp(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void scrollReturnsAllCompaniesThroughOneParamAndEndsWithAnEmptyPage() {
        List<String> userless = server.workspace().userlessCompanyIds();
        assertThat(userless.size()).isBetween(15, 50);

        List<String> seen = new ArrayList<>();
        SandboxHttp.Answer page = http.get("/companies/scroll");
        assertThat(page.json().path("type").asText()).isEqualTo("list");
        assertThat(page.json().path("pages").isNull()).isTrue();
        assertThat(page.json().path("total_count").isNull()).isTrue();
        assertThat(server.stats().openScrolls()).isEqualTo(1);
        String param = page.json().path("scroll_param").asText();
        assertThat(param).isNotEmpty();
        int pages = 0;
        while (!page.json().path("data").isEmpty()) {
            pages++;
            // Intercom hands back the same scroll_param on every page of one scroll
            assertThat(page.json().path("scroll_param").asText()).isEqualTo(param);
            page.json().path("data").forEach(c -> seen.add(c.path("id").asText()));
            page = http.get("/companies/scroll?scroll_param=" + param);
            assertThat(page.status()).isEqualTo(200);
        }

        assertThat(pages).isEqualTo(6);
        assertThat(seen).hasSize(300).doesNotHaveDuplicates().containsAll(userless);
        assertThat(server.stats().openScrolls()).isZero();
        // The empty page closed the scroll: its param is gone and a new scroll may start at once.
        assertThat(http.get("/companies/scroll?scroll_param=" + param).status()).isEqualTo(404);
        assertThat(http.get("/companies/scroll").status()).isEqualTo(200);
    }

    @Test
    void aScrollParamUnusedForAMinuteExpires() {
        String param = http.get("/companies/scroll").json().path("scroll_param").asText();
        clock.advance(Duration.ofSeconds(59));
        assertThat(http.get("/companies/scroll?scroll_param=" + param).status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(61));
        assertThat(http.get("/companies/scroll?scroll_param=" + param).status()).isEqualTo(404);
    }

    @Test
    void aSecondScrollIsRejectedWhileOneIsOpenAndAllowedAfterItExpires() {
        assertThat(http.get("/companies/scroll").status()).isEqualTo(200);
        SandboxHttp.Answer second = http.get("/companies/scroll");
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.json().at("/errors/0/code").asText()).isEqualTo("scroll_exists");

        clock.advance(Duration.ofSeconds(61));
        assertThat(server.stats().openScrolls()).isZero();
        assertThat(http.get("/companies/scroll").status()).isEqualTo(200);
    }

    @Test
    void failScrollOnceAnswers500OnThatPageAndARestartSucceeds() {
        server.faults().failScrollOnce(2);
        SandboxHttp.Answer first = http.get("/companies/scroll");
        SandboxHttp.Answer failed = http.get("/companies/scroll?scroll_param=" + first.json().path("scroll_param").asText());
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().at("/errors/0/message").asText())
                .isEqualTo("Request failed due to an internal network error. Please restart the scroll operation.");

        Set<String> seen = new HashSet<>();
        SandboxHttp.Answer page = http.get("/companies/scroll");
        assertThat(page.status()).isEqualTo(200);
        while (!page.json().path("data").isEmpty()) {
            page.json().path("data").forEach(c -> seen.add(c.path("id").asText()));
            page = http.get("/companies/scroll?scroll_param=" + page.json().path("scroll_param").asText());
        }
        assertThat(seen).hasSize(300);
    }

    @Test
    void aStuckScrollServesTheSamePageForever() {
        SandboxHttp.Answer first = http.get("/companies/scroll");
        String param = first.json().path("scroll_param").asText();
        server.faults().stickScroll(true);
        for (int k = 0; k < 5; k++) {
            SandboxHttp.Answer again = http.get("/companies/scroll?scroll_param=" + param);
            assertThat(again.json().path("scroll_param").asText()).isEqualTo(param);
            assertThat(again.json().path("data")).isEqualTo(first.json().path("data"));
        }
        server.faults().stickScroll(false);
        JsonNode next = http.get("/companies/scroll?scroll_param=" + param).json().path("data");
        assertThat(next).hasSize(50);
        assertThat(next.get(0).path("id")).isNotEqualTo(first.json().path("data").get(0).path("id"));
    }

    @Test
    void companiesListSkipsCompaniesWithoutUsersAndSortsByLastRequestAt() {
        Set<String> listed = new HashSet<>();
        long previous = Long.MAX_VALUE;
        int page = 1;
        JsonNode body;
        do {
            body = http.post("/companies/list?page=" + page + "&per_page=50", "").json();
            for (JsonNode c : body.path("data")) {
                assertThat(c.path("user_count").asInt()).isPositive();
                assertThat(c.path("last_request_at").asLong()).isLessThanOrEqualTo(previous);
                previous = c.path("last_request_at").asLong();
                listed.add(c.path("id").asText());
            }
            page++;
        } while (!body.at("/pages/next").isNull());

        List<String> userless = server.workspace().userlessCompanyIds();
        assertThat(listed).hasSize(300 - userless.size()).doesNotContainAnyElementsOf(userless);
        assertThat(http.get("/companies?per_page=15").json().path("data")).hasSize(15);
    }

    @Test
    void companyShapeAndSegments() {
        String id = server.workspace().companyIds().get(0);
        JsonNode c = http.get("/companies/" + id).json();
        assertThat(c.path("type").asText()).isEqualTo("company");
        assertThat(c.path("tags").path("type").asText()).isEqualTo("tag.list");
        assertThat(c.path("segments").path("type").asText()).isEqualTo("segment.list");
        assertThat(c.path("plan").path("type").asText()).isEqualTo("plan");
        JsonNode segments = http.get("/companies/" + id + "/segments").json();
        assertThat(segments.path("type").asText()).isEqualTo("list");
        assertThat(segments.path("data").size()).isEqualTo(c.path("segments").path("segments").size());
        assertThat(http.get("/companies/6630c0deffffffffffffffff").json().at("/errors/0/code").asText())
                .isEqualTo("company_not_found");
    }
}

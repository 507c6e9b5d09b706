package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ContactPaginationTest {

    static SandboxServer server;
    static SandboxHttp http;

    @BeforeAll
    static void start() {
        server = SandboxServer.start(SandboxConfig.defaults());
        http = new SandboxHttp(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void requestsWithoutAValidTokenGet401WithoutRateLimitHeaders() {
        SandboxHttp.Answer none = http.getWithoutAuth("/contacts");
        SandboxHttp.Answer wrong = new SandboxHttp(server.baseUrl(), "not-the-token").get("/contacts");

        for (SandboxHttp.Answer a : List.of(none, wrong)) {
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.json().path("type").asText()).isEqualTo("error.list");
            assertThat(a.json().path("request_id").asText()).hasSize(36);
            assertThat(a.json().at("/errors/0/code").asText()).isEqualTo("unauthorized");
            assertThat(a.json().at("/errors/0/message").asText()).isEqualTo("Access Token Invalid");
            assertThat(a.header("X-RateLimit-Limit")).isNull();
        }
    }

    @Test
    void cursorListVisitsEveryContactExactlyOnce() {
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            SandboxHttp.Answer a = http.get("/contacts?per_page=150" + (after == null ? "" : "&starting_after=" + after));
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.json().path("type").asText()).isEqualTo("list");
            assertThat(a.json().path("total_count").asInt()).isEqualTo(2000);
            a.json().path("data").forEach(c -> seen.add(c.path("id").asText()));
            JsonNode next = a.json().at("/pages/next");
            after = next.isMissingNode() ? null : next.path("starting_after").asText();
            if (after != null) {
                assertThat(after).startsWith("Wz");
            }
            pages++;
        } while (after != null);

        assertThat(pages).isEqualTo(14);
        assertThat(seen).hasSize(2000).doesNotHaveDuplicates();
        assertThat(new HashSet<>(seen)).isEqualTo(new HashSet<>(server.workspace().contactIds()));
    }

    @Test
    void searchPaginationInUpdatedAtOrderVisitsEveryContactOnceEvenWithTies() {
        Set<String> seen = new HashSet<>();
        long previous = Long.MAX_VALUE;
        String after = null;
        int served = 0;
        do {
            ObjectNode body = SandboxHttp.MAPPER.createObjectNode();
            body.putObject("query").put("field", "created_at").put("operator", ">").put("value", 0);
            body.putObject("sort").put("field", "updated_at").put("order", "descending");
            ObjectNode pagination = body.putObject("pagination").put("per_page", 150);
            if (after != null) {
                pagination.put("starting_after", after);
            }
            SandboxHttp.Answer a = http.post("/contacts/search", body);
            assertThat(a.status()).isEqualTo(200);
            for (JsonNode c : a.json().path("data")) {
                assertThat(c.path("updated_at").asLong()).isLessThanOrEqualTo(previous);
                previous = c.path("updated_at").asLong();
                seen.add(c.path("id").asText());
                served++;
            }
            JsonNode next = a.json().at("/pages/next");
            after = next.isMissingNode() ? null : next.path("starting_after").asText();
        } while (after != null);

        assertThat(served).isEqualTo(2000);
        assertThat(seen).hasSize(2000);
    }

    @Test
    void contactWithMoreThanTenTagsShowsTenAndHasMoreAndTheFullListIsServedSeparately() {
        String id = server.workspace().contactIdsWithManyTags().get(0);

        SandboxHttp.Answer contact = http.get("/contacts/" + id);
        JsonNode tags = contact.json().path("tags");
        assertThat(tags.path("type").asText()).isEqualTo("list");
        assertThat(tags.path("data")).hasSize(10);
        assertThat(tags.path("total_count").asInt()).isEqualTo(13);
        assertThat(tags.path("has_more").asBoolean()).isTrue();
        assertThat(tags.path("url").asText()).isEqualTo("/contacts/" + id + "/tags");
        assertThat(tags.at("/data/0/type").asText()).isEqualTo("tag");

        SandboxHttp.Answer all = http.get("/contacts/" + id + "/tags");
        assertThat(all.json().path("type").asText()).isEqualTo("list");
        assertThat(all.json().path("data")).hasSize(13);
        assertThat(all.json().at("/data/0/name").asText()).isNotEmpty();
        assertThat(all.json().at("/data/0/applied_by/type").asText()).isEqualTo("admin");
    }

    @Test
    void contactWithMoreThanTenCompaniesPagesThemByNumber() {
        String id = server.workspace().contactIdsWithManyCompanies().get(0);
        JsonNode companies = http.get("/contacts/" + id).json().path("companies");
        assertThat(companies.path("data")).hasSize(10);
        assertThat(companies.path("has_more").asBoolean()).isTrue();
        assertThat(companies.at("/data/0/url").asText()).startsWith("/companies/");

        SandboxHttp.Answer page1 = http.get("/contacts/" + id + "/companies?per_page=5&page=1");
        assertThat(page1.json().path("data")).hasSize(5);
        assertThat(page1.json().path("total_count").asInt()).isEqualTo(12);
        assertThat(page1.json().at("/pages/total_pages").asInt()).isEqualTo(3);
        assertThat(page1.json().at("/pages/next").asText()).endsWith("page=2&per_page=5");
        SandboxHttp.Answer page3 = http.get("/contacts/" + id + "/companies?per_page=5&page=3");
        assertThat(page3.json().path("data")).hasSize(2);
        assertThat(page3.json().at("/pages/next").isNull()).isTrue();
    }

    @Test
    void contactShapeFollowsTheSpecAndCustomAttributesCoverEveryType() {
        String id = server.workspace().contactIds().get(3);
        JsonNode c = http.get("/contacts/" + id).json();
        assertThat(c.path("type").asText()).isEqualTo("contact");
        assertThat(c.path("role").asText()).isIn("user", "lead");
        assertThat(c.path("location").path("type").asText()).isEqualTo("location");
        assertThat(c.path("social_profiles").path("type").asText()).isEqualTo("list");
        assertThat(c.path("notes").path("url").asText()).isEqualTo("/contacts/" + id + "/notes");
        JsonNode custom = c.path("custom_attributes");
        assertThat(custom.path("plan").isTextual()).isTrue();
        assertThat(custom.path("seats").isIntegralNumber()).isTrue();
        assertThat(custom.path("monthly_spend").isFloatingPointNumber()).isTrue();
        assertThat(custom.path("beta_tester").isBoolean()).isTrue();
        assertThat(custom.path("trial_ends_at").asLong()).isGreaterThan(c.path("created_at").asLong());
        assertThat(custom.has("referral_code")).isTrue();
        assertThat(c).isEqualTo(server.workspace().contact(id));
    }

    @Test
    void unknownContactIs404() {
        SandboxHttp.Answer a = http.get("/contacts/6630a1b2ffffffffffffffff");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().at("/errors/0/code").asText()).isEqualTo("not_found");
    }
}

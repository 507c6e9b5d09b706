package org.intercomhub.sandbox;

import org.intercomhub.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ConversationAndTicketTest {

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
    void conversationWith600PartsReturnsTheMostRecent500AndTheRealTotal() {
        String id = server.workspace().conversationIdWithManyParts();
        JsonNode parts = http.get("/conversations/" + id).json().path("conversation_parts");
        assertThat(parts.path("type").asText()).isEqualTo("conversation_part.list");
        assertThat(parts.path("total_count").asInt()).isEqualTo(600);
        assertThat(parts.path("conversation_parts")).hasSize(500);
        assertThat(parts.at("/conversation_parts/0/id").asText()).isEqualTo(ConversationGenerator.partId(
                SandboxIds.conversationIndex(id), 100));
        assertThat(parts.at("/conversation_parts/499/created_at").asLong())
                .isGreaterThanOrEqualTo(parts.at("/conversation_parts/0/created_at").asLong());
    }

    @Test
    void listItemsCarryNoPartsAndCursorVisitsAll() {
        Set<String> seen = new HashSet<>();
        String after = null;
        do {
            JsonNode page = http.get("/conversations?per_page=150" + (after == null ? "" : "&starting_after=" + after)).json();
            assertThat(page.path("type").asText()).isEqualTo("conversation.list");
            for (JsonNode c : page.path("conversations")) {
                assertThat(c.has("conversation_parts")).isFalse();
                seen.add(c.path("id").asText());
            }
            JsonNode next = page.at("/pages/next");
            after = next.isMissingNode() ? null : next.path("starting_after").asText();
        } while (after != null);
        assertThat(seen).hasSize(1000);
        assertThat(http.get("/conversations?per_page=151").status()).isEqualTo(400);
    }

    @Test
    void mutationAddsAPartTogglesStateAndIsFoundBySearchToTheSecond() {
        long before = clock.instant().getEpochSecond();
        clock.advance(Duration.ofMinutes(5));
        List<String> ids = server.workspace().mutate("conversations", 3);
        JsonNode after = http.get("/conversations/" + ids.get(0)).json();
        assertThat(after.path("updated_at").asLong()).isEqualTo(before + 300);
        JsonNode parts = after.path("conversation_parts").path("conversation_parts");
        JsonNode last = parts.get(parts.size() - 1);
        assertThat(last.path("created_at").asLong()).isEqualTo(before + 300);
        assertThat(last.path("part_type").asText()).isEqualTo("open".equals(after.path("state").asText()) ? "open" : "close");

        // Exact-second semantics: "> before+300" includes the bound ("greater or equal"), "> before+301" does not.
        assertThat(searchTotal(before + 300)).isEqualTo(3);
        assertThat(searchTotal(before + 301)).isZero();
    }

    private int searchTotal(long updatedAfter) {
        SandboxHttp.Answer a = http.post("/conversations/search",
                "{\"query\":{\"field\":\"updated_at\",\"operator\":\">\",\"value\":" + updatedAfter + "}}");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("type").asText()).isEqualTo("conversation.list");
        return a.json().path("total_count").asInt();
    }

    @Test
    void deletedConversationIsListedGoneFromListAndSearchAnd404() {
        String id = server.workspace().conversationIds().get(10);
        server.workspace().deleteConversation(id);

        assertThat(http.get("/conversations/" + id).status()).isEqualTo(404);
        JsonNode deleted = http.get("/conversations/deleted").json();
        assertThat(deleted.path("type").asText()).isEqualTo("conversations.list");
        assertThat(deleted.path("total_count").asInt()).isEqualTo(1);
        assertThat(deleted.at("/conversations/0/id").asText()).isEqualTo(id);
        assertThat(deleted.at("/conversations/0/deleted_at").asLong()).isEqualTo(clock.instant().getEpochSecond());
        SandboxHttp.Answer search = http.post("/conversations/search",
                "{\"query\":{\"field\":\"id\",\"operator\":\"=\",\"value\":\"" + id + "\"}}");
        assertThat(search.json().path("total_count").asInt()).isZero();
        assertThat(http.get("/conversations?per_page=1").json().path("total_count").asInt()).isEqualTo(999);
        assertThat(http.get("/conversations/deleted?per_page=61").status()).isEqualTo(400);
    }

    @Test
    void ticketSearchServesTicketList() {
        SandboxHttp.Answer a = http.post("/tickets/search",
                "{\"query\":{\"field\":\"created_at\",\"operator\":\">\",\"value\":0},\"pagination\":{\"per_page\":150}}");
        assertThat(a.json().path("type").asText()).isEqualTo("ticket.list");
        assertThat(a.json().path("total_count").asInt()).isEqualTo(200);
        assertThat(a.json().path("tickets")).hasSize(150);
        assertThat(a.json().at("/tickets/0/type").asText()).isEqualTo("ticket");
        assertThat(a.json().at("/tickets/0/ticket_state/type").asText()).isEqualTo("ticket_state");
        assertThat(a.json().at("/pages/next/starting_after").asText()).startsWith("Wz");
    }
}

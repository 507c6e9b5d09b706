package org.intercomhub.sandbox;

import org.intercomhub.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The contact writes: what is written is what GET, list and (after the index lag) search answer. */
class ContactWriteTest {

    static final Duration LAG = Duration.ofMinutes(2);

    MutableClock clock;
    SandboxServer server;
    SandboxHttp http;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.parse("2025-06-15T16:00:00Z"));
        server = SandboxServer.start(SandboxConfig.builder().clock(clock).contacts(300).companies(20)
                .searchIndexLag(LAG).build());
        http = new SandboxHttp(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    SandboxHttp.Answer create(String json) {
        return http.post("/contacts", json);
    }

    int searchTotal(String field, String value) {
        SandboxHttp.Answer a = http.post("/contacts/search",
                "{\"query\":{\"field\":\"" + field + "\",\"operator\":\"=\",\"value\":\"" + value + "\"}}");
        assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
        return a.json().path("total_count").asInt();
    }

    List<String> listedIds() {
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            SandboxHttp.Answer a = http.get("/contacts?per_page=150" + (after == null ? "" : "&starting_after=" + after));
            assertThat(a.status()).isEqualTo(200);
            a.json().path("data").forEach(c -> ids.add(c.path("id").asText()));
            JsonNode next = a.json().path("pages").path("next");
            if (next.isMissingNode()) {
                return ids;
            }
            after = next.path("starting_after").asText();
        }
    }

    @Test
    void createdContactIsServedListedAndFoundBySearchOnlyAfterTheIndexLag() {
        SandboxHttp.Answer created = create("{\"email\":\"ada@example.org\",\"external_id\":\"ext-ada\",\"name\":\"Ada\","
                + "\"signed_up_at\":1700000000,\"custom_attributes\":{\"plan\":\"gold\"}}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        JsonNode c = created.json();
        String id = c.path("id").asText();
        assertThat(c.path("type").asText()).isEqualTo("contact");
        assertThat(c.path("role").asText()).isEqualTo("user");
        assertThat(c.path("email").asText()).isEqualTo("ada@example.org");
        assertThat(c.path("email_domain").asText()).isEqualTo("example.org");
        assertThat(c.path("external_id").asText()).isEqualTo("ext-ada");
        assertThat(c.path("signed_up_at").asLong()).isEqualTo(1700000000L);
        assertThat(c.path("created_at").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(c.path("custom_attributes").path("plan").asText()).isEqualTo("gold");
        assertThat(c.path("custom_attributes").size()).isEqualTo(1);
        assertThat(c.path("companies").path("total_count").asInt()).isZero();

        assertThat(http.get("/contacts/" + id).json()).isEqualTo(c);
        assertThat(listedIds()).contains(id).hasSize(301);
        assertThat(server.workspace().count("contacts")).isEqualTo(301);

        assertThat(searchTotal("email", "ada@example.org")).isZero();
        assertThat(searchTotal("external_id", "ext-ada")).isZero();
        clock.advance(LAG.minusSeconds(1));
        assertThat(searchTotal("email", "ada@example.org")).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(searchTotal("email", "ada@example.org")).isEqualTo(1);
        assertThat(searchTotal("external_id", "ext-ada")).isEqualTo(1);
        assertThat(server.stats().requests("POST /contacts")).isEqualTo(1);
    }

    @Test
    void duplicateUserIs409NamingTheExistingContactWhileLeadsAreExempt() {
        String id = create("{\"email\":\"bob@example.org\"}").json().path("id").asText();
        SandboxHttp.Answer again = create("{\"email\":\"BOB@example.org\",\"name\":\"Bob\"}");
        assertThat(again.status()).isEqualTo(409);
        JsonNode error = again.json().path("errors").path(0);
        assertThat(error.path("code").asText()).isEqualTo("conflict");
        assertThat(error.path("message").asText())
                .isEqualTo("A contact matching those details already exists with id=" + id);

        // A generated user's external_id conflicts too.
        String generated = server.workspace().contactIds().stream()
                .filter(x -> "user".equals(server.workspace().contact(x).path("role").asText())).findFirst().orElseThrow();
        String externalId = server.workspace().contact(generated).path("external_id").asText();
        SandboxHttp.Answer byExternal = create("{\"external_id\":\"" + externalId + "\"}");
        assertThat(byExternal.status()).isEqualTo(409);
        assertThat(byExternal.json().path("errors").path(0).path("message").asText()).endsWith("id=" + generated);

        SandboxHttp.Answer lead = create("{\"role\":\"lead\",\"email\":\"bob@example.org\"}");
        assertThat(lead.status()).isEqualTo(200);
        assertThat(lead.json().path("role").asText()).isEqualTo("lead");
    }

    @Test
    void updateChangesTheContactAtOnceButSearchSeesTheOldValuesUntilTheLagPassed() {
        String id = server.workspace().contactIds().get(5);
        String oldEmail = server.workspace().contact(id).path("email").asText();
        clock.advance(Duration.ofHours(1));
        SandboxHttp.Answer updated = http.put("/contacts/" + id,
                "{\"email\":\"new@example.org\",\"phone\":null,\"custom_attributes\":{\"seats\":77}}");
        assertThat(updated.status()).as(updated.raw().body()).isEqualTo(200);
        assertThat(updated.json().path("email").asText()).isEqualTo("new@example.org");
        assertThat(updated.json().path("phone").isNull()).isTrue();
        assertThat(updated.json().path("custom_attributes").path("seats").asInt()).isEqualTo(77);
        assertThat(updated.json().path("updated_at").asLong()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(http.get("/contacts/" + id).json().path("email").asText()).isEqualTo("new@example.org");

        assertThat(searchTotal("email", oldEmail)).isEqualTo(1);
        assertThat(searchTotal("email", "new@example.org")).isZero();
        clock.advance(LAG);
        assertThat(searchTotal("email", oldEmail)).isZero();
        assertThat(searchTotal("email", "new@example.org")).isEqualTo(1);
    }

    @Test
    void unknownCustomAttributeIs400AndNothingIsWritten() {
        String id = server.workspace().contactIds().get(3);
        JsonNode before = server.workspace().contact(id);
        SandboxHttp.Answer a = http.put("/contacts/" + id, "{\"name\":\"X\",\"custom_attributes\":{\"shoe_size\":43}}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("errors").path(0).path("code").asText()).isEqualTo("parameter_invalid");
        assertThat(a.json().path("errors").path(0).path("message").asText()).isEqualTo("Custom attribute 'shoe_size' does not exist");
        assertThat(server.workspace().contact(id)).isEqualTo(before);
        assertThat(create("{\"email\":\"c@example.org\",\"custom_attributes\":{\"shoe_size\":43}}").status()).isEqualTo(400);
        assertThat(server.workspace().count("contacts")).isEqualTo(300);
    }

    @Test
    void archivedContactIsHiddenBlocksRecreationAndComesBackWhenUnarchived() {
        SandboxHttp.Answer created = create("{\"email\":\"arch@example.org\",\"external_id\":\"ext-arch\"}");
        String id = created.json().path("id").asText();
        SandboxHttp.Answer archived = http.post("/contacts/" + id + "/archive", "");
        assertThat(archived.status()).isEqualTo(200);
        assertThat(archived.json().path("archived").asBoolean()).isTrue();
        assertThat(archived.json().path("external_id").asText()).isEqualTo("ext-arch");

        assertThat(http.get("/contacts/" + id).status()).isEqualTo(404);
        assertThat(http.put("/contacts/" + id, "{\"name\":\"A\"}").status()).isEqualTo(404);
        assertThat(listedIds()).doesNotContain(id);
        clock.advance(LAG);
        assertThat(searchTotal("email", "arch@example.org")).isZero();

        SandboxHttp.Answer recreate = create("{\"email\":\"arch@example.org\"}");
        assertThat(recreate.status()).isEqualTo(409);
        assertThat(recreate.json().path("errors").path(0).path("message").asText())
                .isEqualTo("An archived contact matching those details already exists with id=" + id);

        SandboxHttp.Answer unarchived = http.post("/contacts/" + id + "/unarchive", "");
        assertThat(unarchived.status()).isEqualTo(200);
        assertThat(unarchived.json().path("archived").asBoolean()).isFalse();
        assertThat(http.put("/contacts/" + id, "{\"name\":\"Back\"}").json().path("name").asText()).isEqualTo("Back");
        assertThat(listedIds()).contains(id);
    }

    @Test
    void deletedContactIsGoneAndUnknownIdsAre404() {
        String id = server.workspace().contactIds().get(9);
        SandboxHttp.Answer deleted = http.delete("/contacts/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("deleted").asBoolean()).isTrue();
        assertThat(deleted.json().path("id").asText()).isEqualTo(id);
        assertThat(http.get("/contacts/" + id).status()).isEqualTo(404);
        assertThat(listedIds()).doesNotContain(id);
        assertThat(http.delete("/contacts/" + id).status()).isEqualTo(404);
        assertThat(http.post("/contacts/" + id + "/archive", "").status()).isEqualTo(404);
        SandboxHttp.Answer unknown = http.put("/contacts/6630a1b2000000000000ffff", "{\"name\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("errors").path(0).path("code").asText()).isEqualTo("not_found");
        assertThat(server.stats().requests("DELETE /contacts/{id}")).isEqualTo(2);
    }

    @Test
    void createNeedsAnIdentifierOrRole() {
        SandboxHttp.Answer a = create("{\"name\":\"Nobody\"}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(create("{\"role\":\"admin\"}").status()).isEqualTo(400);
    }

    @Test
    void mergeMovesALeadIntoAUserOnlyWhenTheyAreDuplicatesOrTheCheckIsSkipped() {
        String user = create("{\"email\":\"grace@example.org\",\"external_id\":\"ext-grace\"}").json().path("id").asText();
        String lead = create("{\"role\":\"lead\",\"email\":\"g.hopper@example.net\",\"phone\":\"+15550001\","
                + "\"custom_attributes\":{\"plan\":\"trial\"}}").json().path("id").asText();
        assertThat(http.post("/events", "{\"event_name\":\"viewed-pricing\",\"created_at\":1700000000,\"id\":\"" + lead
                + "\"}").status()).isEqualTo(202);

        // no shared email or phone: Intercom's duplicate check refuses, verbatim
        SandboxHttp.Answer refused = http.post("/contacts/merge", "{\"from\":\"" + lead + "\",\"into\":\"" + user + "\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("type").asText()).isEqualTo("error.list");
        assertThat(refused.json().path("errors").path(0).path("code").asText()).isEqualTo("invalid_merge");
        assertThat(refused.json().path("errors").path(0).path("message").asText())
                .startsWith("Contacts can only be merged when they are duplicates");
        // only a lead merges, only into a user
        assertThat(http.post("/contacts/merge", "{\"from\":\"" + user + "\",\"into\":\"" + lead + "\","
                + "\"skip_duplicate_validation\":true}").status()).isEqualTo(400);
        assertThat(http.post("/contacts/merge", "{\"from\":\"6630a1b2000000000000ffff\",\"into\":\"" + user + "\"}")
                .status()).isEqualTo(404);

        SandboxHttp.Answer merged = http.post("/contacts/merge", "{\"from\":\"" + lead + "\",\"into\":\"" + user
                + "\",\"skip_duplicate_validation\":true}");
        assertThat(merged.status()).as(merged.raw().body()).isEqualTo(200);
        assertThat(merged.json().path("id").asText()).isEqualTo(user);
        assertThat(merged.json().path("role").asText()).isEqualTo("user");
        assertThat(merged.json().path("email").asText()).as("the user's own email wins").isEqualTo("grace@example.org");
        assertThat(merged.json().path("phone").asText()).as("the lead's fills the gap").isEqualTo("+15550001");
        assertThat(merged.json().path("custom_attributes").path("plan").asText()).isEqualTo("trial");
        assertThat(http.get("/contacts/" + lead).status()).isEqualTo(404);
        assertThat(listedIds()).contains(user).doesNotContain(lead);
        assertThat(server.workspace().events(user)).extracting(e -> e.path("event_name").asText())
                .containsExactly("viewed-pricing");
    }
}

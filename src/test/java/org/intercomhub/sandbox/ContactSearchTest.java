package org.intercomhub.sandbox;

import org.intercomhub.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ContactSearchTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    MutableClock clock;
    SandboxServer server;
    SandboxHttp http;

    @BeforeEach
    void start() {
        clock = new MutableClock(LocalDateTime.of(2025, 6, 15, 12, 0).atZone(NEW_YORK).toInstant());
        server = SandboxServer.start(SandboxConfig.builder().clock(clock).build());
        http = new SandboxHttp(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static long local(int year, int month, int day, int hour) {
        return LocalDateTime.of(year, month, day, hour, 0).atZone(NEW_YORK).toEpochSecond();
    }

    String updatedAtQueryForId(String operator, long value, String id) {
        return "{\"query\":{\"operator\":\"AND\",\"value\":["
                + "{\"field\":\"updated_at\",\"operator\":\"" + operator + "\",\"value\":" + value + "},"
                + "{\"field\":\"id\",\"operator\":\"=\",\"value\":\"" + id + "\"}]}}";
    }

    @Test
    void updatedAtComparesByCalendarDayInTheWorkspaceTimeZone() {
        String id = server.workspace().contactIds().get(7);
        clock.set(LocalDateTime.of(2025, 6, 20, 23, 0).atZone(NEW_YORK).toInstant());
        server.workspace().setCustomAttribute(id, "plan", "gold");
        assertThat(server.workspace().contact(id).path("updated_at").asLong()).isEqualTo(local(2025, 6, 20, 23));

        // "> D 01:00" starts at the next day: the 23:00 update of D itself is missed.
        assertThat(total(updatedAtQueryForId(">", local(2025, 6, 20, 1), id))).isZero();
        // "> (D-1 anything)" starts at D 00:00 and finds it.
        assertThat(total(updatedAtQueryForId(">", local(2025, 6, 19, 12), id))).isEqualTo(1);
        // "=" matches anywhere in the same day; "<" is before the start of the value's day.
        assertThat(total(updatedAtQueryForId("=", local(2025, 6, 20, 5), id))).isEqualTo(1);
        assertThat(total(updatedAtQueryForId("<", local(2025, 6, 20, 23) + 1800, id))).isZero();
        assertThat(total(updatedAtQueryForId("<", local(2025, 6, 21, 0), id))).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"!=", ">=", "<=", "IN", "NIN"})
    void forbiddenDateOperatorsAre400(String operator) {
        String value = operator.endsWith("IN") ? "[1700000000]" : "1700000000";
        SandboxHttp.Answer a = http.post("/contacts/search",
                "{\"query\":{\"field\":\"updated_at\",\"operator\":\"" + operator + "\",\"value\":" + value + "}}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("type").asText()).isEqualTo("error.list");
    }

    @Test
    void otherSortOrdersAre400InvalidSortOrder() {
        SandboxHttp.Answer a = http.post("/contacts/search",
                "{\"query\":{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"},\"sort\":{\"field\":\"updated_at\",\"order\":\"asc\"}}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().at("/errors/0/code").asText()).isEqualTo("invalid_sort_order");
    }

    @Test
    void perPageAbove150IsRejected() {
        SandboxHttp.Answer a = http.post("/contacts/search", "{\"pagination\":{\"per_page\":151}}");
        assertThat(a.status()).isEqualTo(400);
    }

    @Test
    void nestedGroupsWorkToTwoLevelsAndDeeperNestingIsRejected() {
        String twoLevels = "{\"query\":{\"operator\":\"OR\",\"value\":[{\"operator\":\"AND\",\"value\":["
                + "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"},{\"field\":\"email\",\"operator\":\"~\",\"value\":\"@example.com\"}]},"
                + "{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"}]}}";
        assertThat(total(twoLevels)).isEqualTo(2000);
        String threeLevels = "{\"query\":{\"operator\":\"OR\",\"value\":[{\"operator\":\"AND\",\"value\":["
                + "{\"operator\":\"OR\",\"value\":[{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"}]}]}]}}";
        assertThat(http.post("/contacts/search", threeLevels).status()).isEqualTo(400);
    }

    @Test
    void roleSearchSplitsUsersAndLeads() {
        int users = total("{\"query\":{\"field\":\"role\",\"operator\":\"=\",\"value\":\"user\"}}");
        int leads = total("{\"query\":{\"field\":\"role\",\"operator\":\"=\",\"value\":\"lead\"}}");
        assertThat(users).isPositive();
        assertThat(leads).isPositive();
        assertThat(users + leads).isEqualTo(2000);
    }

    @Test
    void mutatedContactsAreExactlyTheOnesFoundByUpdatedAtAfterBefore() {
        long before = clock.instant().getEpochSecond();
        clock.advance(Duration.ofDays(2));
        List<String> mutated = server.workspace().mutate("contacts", 25);
        assertThat(mutated).hasSize(25).doesNotHaveDuplicates();

        Set<String> found = new HashSet<>();
        String after = null;
        do {
            String pagination = "\"pagination\":{\"per_page\":10" + (after == null ? "" : ",\"starting_after\":\"" + after + "\"") + "}";
            SandboxHttp.Answer a = http.post("/contacts/search",
                    "{\"query\":{\"field\":\"updated_at\",\"operator\":\">\",\"value\":" + before + "}," + pagination + "}");
            a.json().path("data").forEach(c -> found.add(c.path("id").asText()));
            JsonNode next = a.json().at("/pages/next");
            after = next.isMissingNode() ? null : next.path("starting_after").asText();
        } while (after != null);

        assertThat(found).isEqualTo(new HashSet<>(mutated));
        String id = mutated.get(0);
        assertThat(server.workspace().contact(id).path("name").asText()).contains("(v1)");
    }

    @Test
    void hostileCustomAttributeNamesAreStoredVerbatimAndListedAsDataAttributes() {
        String id = server.workspace().contactIds().get(1);
        String hostile = "x\"; DROP TABLE contacts; --";
        server.workspace().setCustomAttribute(id, hostile, 7);
        JsonNode contact = http.get("/contacts/" + id).json();
        assertThat(contact.path("custom_attributes").path(hostile).asInt()).isEqualTo(7);
        JsonNode attributes = http.get("/data_attributes?model=contact").json().path("data");
        Set<String> names = new HashSet<>();
        attributes.forEach(a -> names.add(a.path("name").asText()));
        assertThat(names).contains(hostile, "plan", "trial_ends_at", "email");
        assertThat(http.get("/data_attributes?model=conversation").status()).isEqualTo(422);
    }

    @Test
    void deletedContactsDisappearFromListSearchAndGet() {
        String id = server.workspace().contactIds().get(5);
        server.workspace().deleteContact(id);
        assertThat(http.get("/contacts/" + id).status()).isEqualTo(404);
        assertThat(total("{\"query\":{\"field\":\"id\",\"operator\":\"=\",\"value\":\"" + id + "\"}}")).isZero();
        assertThat(http.get("/contacts?per_page=1").json().path("total_count").asInt()).isEqualTo(1999);
    }

    private int total(String body) {
        SandboxHttp.Answer a = http.post("/contacts/search", body);
        assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
        return a.json().path("total_count").asInt();
    }
}

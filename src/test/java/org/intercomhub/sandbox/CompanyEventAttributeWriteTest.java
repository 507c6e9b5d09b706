package org.intercomhub.sandbox;

import org.intercomhub.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Company, attachment, event and data-attribute writes, seen back through the read endpoints. */
class CompanyEventAttributeWriteTest {

    MutableClock clock;
    SandboxServer server;
    SandboxHttp http;

    @BeforeEach
    void start() {
        clock = new MutableClock(Instant.parse("2025-06-15T16:00:00Z"));
        server = SandboxServer.start(SandboxConfig.builder().clock(clock).contacts(200).companies(40).build());
        http = new SandboxHttp(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    List<JsonNode> scrollAll() {
        List<JsonNode> seen = new ArrayList<>();
        SandboxHttp.Answer page = http.get("/companies/scroll");
        String param = page.json().path("scroll_param").asText();
        while (!page.json().path("data").isEmpty()) {
            page.json().path("data").forEach(seen::add);
            page = http.get("/companies/scroll?scroll_param=" + param);
        }
        return seen;
    }

    String newUser(String email) {
        SandboxHttp.Answer a = http.post("/contacts", "{\"email\":\"" + email + "\",\"external_id\":\"ext-" + email + "\"}");
        assertThat(a.status()).as(a.raw().body()).isEqualTo(200);
        return a.json().path("id").asText();
    }

    @Test
    void companyIsCreatedThenUpdatedByCompanyIdAndAppearsInTheScrollButNotTheListUntilItHasAUser() {
        SandboxHttp.Answer created = http.post("/companies",
                "{\"company_id\":\"acme\",\"name\":\"Acme\",\"plan\":\"pro\",\"size\":12,\"monthly_spend\":99.5,"
                        + "\"custom_attributes\":{\"tier\":\"gold\"}}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        JsonNode c = created.json();
        String id = c.path("id").asText();
        assertThat(c.path("type").asText()).isEqualTo("company");
        assertThat(c.path("company_id").asText()).isEqualTo("acme");
        assertThat(c.path("plan").path("name").asText()).isEqualTo("pro");
        assertThat(c.path("size").asInt()).isEqualTo(12);
        assertThat(c.path("monthly_spend").asDouble()).isEqualTo(99.5);
        assertThat(c.path("user_count").asInt()).isZero();
        assertThat(c.path("custom_attributes").path("tier").asText()).isEqualTo("gold");

        SandboxHttp.Answer again = http.post("/companies", "{\"company_id\":\"acme\",\"name\":\"Acme Inc\"}");
        assertThat(again.json().path("id").asText()).isEqualTo(id);
        assertThat(again.json().path("name").asText()).isEqualTo("Acme Inc");
        assertThat(again.json().path("size").asInt()).isEqualTo(12);
        assertThat(http.get("/companies?company_id=acme").json().path("id").asText()).isEqualTo(id);

        assertThat(scrollAll()).extracting(n -> n.path("id").asText()).contains(id).hasSize(41);
        assertThat(http.get("/companies?per_page=60").json().path("data").findValuesAsText("id")).doesNotContain(id);

        String contact = newUser("emp@example.org");
        SandboxHttp.Answer attached = http.post("/contacts/" + contact + "/companies", "{\"id\":\"" + id + "\"}");
        assertThat(attached.status()).as(attached.raw().body()).isEqualTo(200);
        assertThat(attached.json().path("user_count").asInt()).isEqualTo(1);
        assertThat(http.get("/contacts/" + contact).json().path("companies").path("data").findValuesAsText("id")).containsExactly(id);
        assertThat(http.get("/companies?per_page=60").json().path("data").findValuesAsText("id")).contains(id);

        SandboxHttp.Answer detached = http.delete("/contacts/" + contact + "/companies/" + id);
        assertThat(detached.status()).isEqualTo(200);
        assertThat(detached.json().path("user_count").asInt()).isZero();
        assertThat(http.delete("/contacts/" + contact + "/companies/" + id).status()).isEqualTo(404);
        assertThat(server.stats().requests("DELETE /contacts/{id}/companies/{id}")).isEqualTo(2);
    }

    @Test
    void companyUpdateAndDeleteByIntercomIdAnd404s() {
        String id = server.workspace().companyIds().get(4);
        SandboxHttp.Answer updated = http.put("/companies/" + id, "{\"industry\":\"Mining\",\"company_id\":\"other\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("industry").asText()).isEqualTo("Mining");
        assertThat(updated.json().path("company_id").asText()).isEqualTo("company-5");

        SandboxHttp.Answer unknownAttribute = http.put("/companies/" + id, "{\"custom_attributes\":{\"nope\":1}}");
        assertThat(unknownAttribute.status()).isEqualTo(400);
        assertThat(unknownAttribute.json().at("/errors/0/message").asText()).isEqualTo("Custom attribute 'nope' does not exist");

        SandboxHttp.Answer deleted = http.delete("/companies/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("deleted").asBoolean()).isTrue();
        assertThat(deleted.json().path("object").asText()).isEqualTo("company");
        assertThat(http.get("/companies/" + id).status()).isEqualTo(404);
        assertThat(scrollAll()).extracting(n -> n.path("id").asText()).doesNotContain(id);
        SandboxHttp.Answer gone = http.put("/companies/" + id, "{\"name\":\"x\"}");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().at("/errors/0/code").asText()).isEqualTo("company_not_found");

        String contact = newUser("c@example.org");
        assertThat(http.post("/contacts/" + contact + "/companies", "{\"id\":\"" + id + "\"}").status()).isEqualTo(404);
        SandboxHttp.Answer noCompany = http.post("/contacts/" + contact + "/companies", "{}");
        assertThat(noCompany.status()).isEqualTo(400);
        assertThat(noCompany.json().at("/errors/0/code").asText()).isEqualTo("parameter_not_found");
        assertThat(http.post("/companies", "{\"name\":\"no id\"}").status()).isEqualTo(400);
    }

    @Test
    void eventsArePostedAndListedByEveryIdentifier() {
        String id = newUser("ev@example.org");
        SandboxHttp.Answer posted = http.post("/events", "{\"event_name\":\"ordered\",\"created_at\":1750000000,"
                + "\"user_id\":\"ext-ev@example.org\",\"metadata\":{\"sku\":\"A1\",\"price\":{\"amount\":34999,\"currency\":\"eur\"}}}");
        assertThat(posted.status()).as(posted.raw().body()).isEqualTo(202);
        assertThat(posted.raw().body()).isEmpty();
        assertThat(http.post("/events", "{\"event_name\":\"viewed\",\"created_at\":1750000100,\"email\":\"ev@example.org\"}").status())
                .isEqualTo(202);
        assertThat(http.post("/events", "{\"event_name\":\"viewed\",\"created_at\":1750000200,\"id\":\"" + id + "\"}").status())
                .isEqualTo(202);
        // A duplicate (same contact, name and created_at) is accepted and not stored.
        assertThat(http.post("/events", "{\"event_name\":\"viewed\",\"created_at\":1750000200,\"id\":\"" + id + "\"}").status())
                .isEqualTo(202);

        SandboxHttp.Answer list = http.get("/events?type=user&intercom_user_id=" + id);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("type").asText()).isEqualTo("event.list");
        JsonNode events = list.json().path("events");
        assertThat(events).hasSize(3);
        assertThat(events.get(2).path("event_name").asText()).isEqualTo("ordered");
        assertThat(events.get(2).path("metadata").path("price").path("amount").asInt()).isEqualTo(34999);
        assertThat(events.get(2).path("user_id").asText()).isEqualTo("ext-ev@example.org");
        assertThat(http.get("/events?type=user&user_id=ext-ev@example.org").json().path("events")).hasSize(3);
        assertThat(http.get("/events?type=user&email=ev%40example.org").json().path("events")).hasSize(3);

        JsonNode summary = http.get("/events?type=user&email=ev%40example.org&summary=true").json();
        assertThat(summary.path("type").asText()).isEqualTo("event.summary");
        assertThat(summary.path("events")).hasSize(2);
        assertThat(server.workspace().events(id)).hasSize(3);
    }

    @Test
    void eventRefusals() {
        newUser("r@example.org");
        StringBuilder eleven = new StringBuilder();
        for (int k = 1; k <= 11; k++) {
            eleven.append(k == 1 ? "" : ",").append("\"k").append(k).append("\":").append(k);
        }
        SandboxHttp.Answer tooMany = http.post("/events", "{\"event_name\":\"e\",\"created_at\":1,\"email\":\"r@example.org\","
                + "\"metadata\":{" + eleven + "}}");
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().at("/errors/0/message").asText()).contains("11 keys");
        assertThat(http.post("/events", "{\"event_name\":\"e\",\"created_at\":1,\"email\":\"r@example.org\","
                + "\"metadata\":{\"nested\":{\"a\":{\"b\":1}}}}").status()).isEqualTo(400);
        SandboxHttp.Answer unknown = http.post("/events", "{\"event_name\":\"e\",\"created_at\":1,\"user_id\":\"nobody\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/errors/0/message").asText()).isEqualTo("User Not Found");
        assertThat(http.get("/events?type=user&user_id=nobody").status()).isEqualTo(404);
        assertThat(http.post("/events", "{\"created_at\":1,\"email\":\"r@example.org\"}").status()).isEqualTo(400);
    }

    @Test
    void customAttributeCreatedThroughDataAttributesIsListedAndAccepted() {
        String contact = newUser("attr@example.org");
        assertThat(http.put("/contacts/" + contact, "{\"custom_attributes\":{\"nps\":9}}").status()).isEqualTo(400);

        SandboxHttp.Answer created = http.post("/data_attributes",
                "{\"name\":\"nps\",\"model\":\"contact\",\"data_type\":\"integer\",\"description\":\"Net promoter\"}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(200);
        assertThat(created.json().path("type").asText()).isEqualTo("data_attribute");
        assertThat(created.json().path("full_name").asText()).isEqualTo("custom_attributes.nps");
        assertThat(created.json().path("data_type").asText()).isEqualTo("integer");
        assertThat(created.json().path("custom").asBoolean()).isTrue();
        assertThat(created.json().path("api_writable").asBoolean()).isTrue();
        int attributeId = created.json().path("id").asInt();

        JsonNode listed = http.get("/data_attributes?model=contact").json().path("data");
        assertThat(listed.findValuesAsText("name")).contains("nps");
        assertThat(http.get("/data_attributes?model=contact").json().path("data").findValues("id").stream()
                .map(JsonNode::asInt)).contains(attributeId);
        assertThat(http.put("/contacts/" + contact, "{\"custom_attributes\":{\"nps\":9}}").json()
                .path("custom_attributes").path("nps").asInt()).isEqualTo(9);

        SandboxHttp.Answer same = http.post("/data_attributes", "{\"name\":\"nps\",\"model\":\"company\",\"data_type\":\"string\"}");
        assertThat(same.status()).isEqualTo(400);
        assertThat(same.json().at("/errors/0/code").asText()).isEqualTo("parameter_invalid");
        assertThat(same.json().at("/errors/0/message").asText())
                .isEqualTo("You already have 'nps' in your people data. To save this as new company data, use a different name.");
        assertThat(http.post("/data_attributes", "{\"name\":\"a.b\",\"model\":\"contact\",\"data_type\":\"string\"}").status()).isEqualTo(400);
        assertThat(http.post("/data_attributes", "{\"name\":\"ab\",\"model\":\"contact\",\"data_type\":\"map\"}").json()
                .at("/errors/0/message").asText()).isEqualTo("Data Type isn't an option");
        assertThat(http.post("/data_attributes", "{\"name\":\"ab\",\"model\":\"ticket\",\"data_type\":\"string\"}").status()).isEqualTo(400);

        SandboxHttp.Answer company = http.post("/data_attributes", "{\"name\":\"region_code\",\"model\":\"company\",\"data_type\":\"string\"}");
        assertThat(company.status()).isEqualTo(200);
        assertThat(http.get("/data_attributes?model=company").json().path("data").findValuesAsText("name")).contains("region_code");
        assertThat(http.post("/companies", "{\"company_id\":\"r1\",\"custom_attributes\":{\"region_code\":\"EU\"}}").json()
                .path("custom_attributes").path("region_code").asText()).isEqualTo("EU");
    }
}

package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Segment's calls as Customer.io's Intercom destination maps them. */
class IntercomMappingTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void identifyTraitsBecomeContactFieldsAndCustomAttributes() throws Exception {
        IntercomMapping.Mapped mapped = IntercomMapping.contact(json("""
                {"userId":"u1","traits":{"email":"a@example.com","firstName":"Ada","lastName":"Lovelace",
                 "phone":"+44","avatar":"https://x/a.png","createdAt":"2024-03-01T10:00:00+01:00","plan":"pro",
                 "logins":3,"vip":true,"address":{"city":"London"},"bad.name":1,"company":{"id":"c1"}}}"""));
        assertThat(mapped.fields().toString()).isEqualTo("{\"email\":\"a@example.com\",\"name\":\"Ada Lovelace\","
                + "\"phone\":\"+44\",\"avatar\":\"https://x/a.png\",\"signed_up_at\":1709283600}");
        assertThat(mapped.custom()).containsOnlyKeys("plan", "logins", "vip");
        assertThat(mapped.notes()).anyMatch(n -> n.contains("address")).anyMatch(n -> n.contains("bad.name"));
        assertThat(IntercomMapping.name(json("{\"traits\":{\"name\":\"Grace\",\"firstName\":\"X\"}}"))).isEqualTo("Grace");
    }

    @Test
    void groupTraitsBecomeTheCompany() throws Exception {
        IntercomMapping.Mapped mapped = IntercomMapping.company("acme", json("""
                {"name":"Acme","plan":"enterprise","monthly_spend":99.5,"employees":"250","industry":"Mining",
                 "website":"https://acme.test","createdAt":1700000000,"region":"emea"}"""));
        assertThat(mapped.fields().toString()).isEqualTo("{\"company_id\":\"acme\",\"name\":\"Acme\","
                + "\"plan\":\"enterprise\",\"industry\":\"Mining\",\"website\":\"https://acme.test\","
                + "\"monthly_spend\":99.5,\"size\":250,\"remote_created_at\":1700000000}");
        assertThat(mapped.custom()).containsOnlyKeys("region");
    }

    @Test
    void trackBecomesAnEventWithRevenueInCentsAndTenFlatKeys() throws Exception {
        StringBuilder properties = new StringBuilder("{\"revenue\":19.999,\"nested\":{\"a\":1}");
        for (int i = 1; i <= 12; i++) {
            properties.append(",\"p").append(i).append("\":").append(i);
        }
        properties.append('}');
        IntercomMapping.Mapped mapped = IntercomMapping.event(json("{\"event\":\"Paid\",\"timestamp\":"
                + "\"2024-01-01T00:00:00.123Z\",\"properties\":" + properties + "}"));
        JsonNode event = mapped.fields();
        assertThat(event.path("event_name").asText()).isEqualTo("Paid");
        assertThat(event.path("created_at").asLong()).isEqualTo(1704067200L);
        assertThat(event.path("metadata").size()).isEqualTo(10);
        assertThat(event.path("metadata").path("price").toString()).isEqualTo("{\"amount\":2000,\"currency\":\"usd\"}");
        assertThat(event.path("metadata").has("p9")).isTrue();
        assertThat(event.path("metadata").has("p10")).isFalse();
        assertThat(mapped.notes()).anyMatch(n -> n.contains("nested")).anyMatch(n -> n.contains("p10, p11, p12"));
        // no timestamp: when the hub received it
        assertThat(IntercomMapping.event(json("{\"event\":\"E\",\"receivedAt\":\"2024-01-02T00:00:00Z\"}"))
                .fields().path("created_at").asLong()).isEqualTo(1704153600L);
    }

    @Test
    void datesAsSegmentsLibrariesSendThem() throws Exception {
        assertThat(IntercomMapping.epochSeconds(json("\"2024-01-01\""))).isEqualTo(1704067200L);
        assertThat(IntercomMapping.epochSeconds(json("1704067200000"))).isEqualTo(1704067200L);
        assertThat(IntercomMapping.epochSeconds(json("1704067200"))).isEqualTo(1704067200L);
        assertThat(IntercomMapping.epochSeconds(json("\"yesterday\""))).isNull();
    }

    @Test
    void segmentsDestinationFilter() throws Exception {
        assertThat(TrackingApplier.forIntercom(json("{}"))).isTrue();
        assertThat(TrackingApplier.forIntercom(json("{\"Intercom\":false}"))).isFalse();
        assertThat(TrackingApplier.forIntercom(json("{\"All\":false}"))).isFalse();
        assertThat(TrackingApplier.forIntercom(json("{\"All\":false,\"Intercom\":true}"))).isTrue();
        assertThat(TrackingApplier.forIntercom(json("{\"All\":true,\"intercom\":false}"))).isTrue();
        assertThat(TrackingApplier.forIntercom(json("{\"All\":false,\"Intercom\":{\"x\":1}}"))).isTrue();
    }
}

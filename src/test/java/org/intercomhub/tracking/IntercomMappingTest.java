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
        assertThat(mapped.custom()).containsOnlyKeys("plan", "logins", "vip", "address_city");
        assertThat(mapped.custom().get("address_city").asText()).isEqualTo("London");
        assertThat(mapped.notes()).anyMatch(n -> n.contains("bad.name"));
        assertThat(IntercomMapping.name(json("{\"traits\":{\"name\":\"Grace\",\"firstName\":\"X\"}}"))).isEqualTo("Grace");
    }

    @Test
    void nestedTraitsBecomeAttributesNamedByTheirPathAndListsAreLeftOut() throws Exception {
        IntercomMapping.Mapped mapped = IntercomMapping.contact(json("""
                {"userId":"u1","traits":{"address":{"city":"Paris","geo":{"lat":48.85,"lon":2.35},"note":null},
                 "address_city":"Lyon","roles":["admin","owner"],"prefs":{"tags":["a"],"dark mode":true}}}"""));
        // a trait of its own wins over the flattened name; a list is no attribute
        assertThat(mapped.custom()).containsOnlyKeys("address_city", "address_geo_lat", "address_geo_lon",
                "address_note", "prefs_dark mode");
        assertThat(mapped.custom().get("address_city").asText()).isEqualTo("Lyon");
        assertThat(mapped.custom().get("address_geo_lat").asDouble()).isEqualTo(48.85);
        assertThat(mapped.notes()).anyMatch(n -> n.contains("address_city (flattened)"))
                .anyMatch(n -> n.contains("roles is a list")).anyMatch(n -> n.contains("prefs_tags is a list"));
        // companies' traits the same way
        assertThat(IntercomMapping.company("acme", json("{\"name\":\"Acme\",\"hq\":{\"country\":\"FR\"}}"))
                .custom()).containsOnlyKeys("hq_country");
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
        StringBuilder properties = new StringBuilder("{\"revenue\":19.999,\"list\":[1,2]");
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
        assertThat(mapped.notes()).anyMatch(n -> n.contains("list is a list")).anyMatch(n -> n.contains("p10, p11, p12"));
        // no timestamp: when the hub received it
        assertThat(IntercomMapping.event(json("{\"event\":\"E\",\"receivedAt\":\"2024-01-02T00:00:00Z\"}"))
                .fields().path("created_at").asLong()).isEqualTo(1704153600L);
    }

    @Test
    void nestedPropertiesAreFlattenedExceptIntercomsOwnObjects() throws Exception {
        IntercomMapping.Mapped mapped = IntercomMapping.event(json("""
                {"event":"Ordered","properties":{"cart":{"items":2,"shipping":{"method":"express"}},
                 "total":{"amount":4200,"currency":"eur"},"receipt":{"url":"https://x/r/1","value":"R-1"},
                 "skus":["a","b"]}}"""));
        JsonNode metadata = mapped.fields().path("metadata");
        assertThat(metadata.toString()).isEqualTo("{\"cart_items\":2,\"cart_shipping_method\":\"express\","
                + "\"total\":{\"amount\":4200,\"currency\":\"eur\"},\"receipt\":{\"url\":\"https://x/r/1\","
                + "\"value\":\"R-1\"}}");
        assertThat(mapped.notes()).anyMatch(n -> n.contains("skus is a list"));
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

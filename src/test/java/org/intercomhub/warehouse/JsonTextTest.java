package org.intercomhub.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The warehouse's JSON columns hold exactly the text Jackson writes for the same tree. */
class JsonTextTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aParsedIntercomObjectIsWrittenAsJacksonWritesIt() throws Exception {
        JsonNode contact = JSON.readTree("""
                {"type":"contact","id":"6a1f","custom_attributes":{"plan":"pro \\"gold\\"","seats":12,"mrr":99.5,
                 "big":12345678901234567890,"ratio":1e-7,"trial":false,"note":null,"tags":[],"meta":{}},
                 "location":{"city":"Zürich","line":"a\\tb\\nc\\\\d\\u0001/e","emoji":"\\ud83d\\ude00"},
                 "social_profiles":{"data":[{"name":"X","url":"https://x.com/a?b=1&c=<2>"}],"total_count":1},
                 "nested":[[1,2,[3]],{"": ""}, -0.0, 1.0E300, true]}""");
        assertThat(JsonText.of(contact)).isEqualTo(contact.toString());
        for (JsonNode value : contact.findValues("custom_attributes").get(0)) {
            assertThat(JsonText.of(value)).isEqualTo(value.toString());
        }
        assertThat(JSON.readTree(JsonText.of(contact))).isEqualTo(contact);
    }

    @Test
    void treesBuiltInCodeToo() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode built = nodes.objectNode();
        built.put("int", 7).put("long", Long.MIN_VALUE).put("float", 1.25f).put("double", -3.5e-12)
                .put("decimal", new BigDecimal("10.500")).put("bigint", new BigInteger("-99999999999999999999"))
                .put("nan", Double.NaN).put("inf", Float.POSITIVE_INFINITY).put("text", "\u2028 \u007f \"q\"")
                .putNull("none").put("bytes", new byte[] {1, 2, 3});
        built.putArray("list").add(1).add("two").addNull().addObject().put("k", "v");
        built.putPOJO("pojo", java.util.Map.of("a", 1));
        assertThat(JsonText.of(built)).isEqualTo(built.toString());
        for (JsonNode value : built) {
            assertThat(JsonText.of(value)).as(value.getNodeType().toString()).isEqualTo(value.toString());
        }
    }
}

package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.intercomhub.tracking.TrackingRejectedException.Reason;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks of POST /v1/* before anything is stored: key, size, JSON, user; and the calls they yield. */
class TrackingRequestsTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    final TrackingRequests requests = new TrackingRequests(new WriteKeys(List.of("old-key", "new-key")), null,
            new ObjectMapper(), CLOCK);

    Exchange exchange(String authorization, String body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        if (authorization != null) {
            exchange.getMessage().setHeader("Authorization", authorization);
        }
        exchange.getMessage().setBody(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        return exchange;
    }

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    Reason refusal(String endpoint, Exchange exchange) {
        try {
            requests.check(endpoint, exchange);
            return null;
        } catch (TrackingRejectedException e) {
            return e.reason();
        }
    }

    @Test
    void writeKeyByBasicWithOrWithoutTheColonOrInTheBody() {
        String call = "{\"userId\":\"u1\",\"traits\":{\"email\":\"a@b.c\"}}";
        assertThat(refusal("identify", exchange(basic("new-key:"), call))).isNull();
        assertThat(refusal("identify", exchange(basic("old-key"), call))).isNull();
        assertThat(refusal("identify", exchange(null, "{\"userId\":\"u1\",\"writeKey\":\"new-key\"}"))).isNull();
        assertThat(refusal("identify", exchange(basic("other:"), call))).isEqualTo(Reason.WRONG_WRITE_KEY);
        assertThat(refusal("identify", exchange(null, call))).isEqualTo(Reason.MISSING_WRITE_KEY);
        assertThat(refusal("identify", exchange(null, "{\"userId\":\"u1\",\"writeKey\":\"new-keyX\"}")))
                .isEqualTo(Reason.WRONG_WRITE_KEY);
        assertThat(refusal("identify", exchange("Basic !!!", call))).isEqualTo(Reason.WRONG_WRITE_KEY);
    }

    @Test
    void aBatchsContextIsMergedIntoEveryCallAndTheWriteKeyIsNotKept() {
        Exchange exchange = exchange(null, """
                {"writeKey":"new-key","context":{"library":{"name":"analytics-java"},"ip":"1.2.3.4"},
                 "batch":[{"type":"identify","userId":"u1","messageId":"m1","context":{"ip":"5.6.7.8"}},
                          {"type":"track","anonymousId":"a1","event":"E","writeKey":"new-key"}]}""");
        requests.check("import", exchange);
        List<TrackingCall> calls = TrackingRequests.calls(exchange);
        assertThat(calls).extracting(TrackingCall::type).containsExactly("identify", "track");
        assertThat(calls.get(0).messageId()).isEqualTo("m1");
        assertThat(calls.get(0).body().path("context").path("ip").asText()).isEqualTo("5.6.7.8");
        assertThat(calls.get(0).body().path("context").path("library").path("name").asText())
                .isEqualTo("analytics-java");
        assertThat(calls.get(1).messageId()).startsWith("hub-");
        assertThat(calls.get(1).body().has("writeKey")).isFalse();
        assertThat(calls.get(1).body().path("receivedAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(calls.get(0).userKey()).isNotEqualTo(calls.get(1).userKey()).hasSize(64);
    }

    @Test
    void segmentsLimitsAndShapes() {
        String big = "{\"userId\":\"u\",\"traits\":{\"x\":\"" + "a".repeat(32 * 1024) + "\"}}";
        assertThat(refusal("identify", exchange(basic("new-key:"), big))).isEqualTo(Reason.TOO_LARGE);
        assertThat(refusal("batch", exchange(basic("new-key:"), "{\"batch\":[" + big + "]}")))
                .isEqualTo(Reason.TOO_LARGE);
        String many = "{\"batch\":[" + "{\"type\":\"page\",\"userId\":\"u\"},".repeat(400) + "{\"type\":\"page\",\"userId\":\"u\"}"
                + ",\"" + "b".repeat(500 * 1024) + "\"]}";
        assertThat(refusal("batch", exchange(basic("new-key:"), many))).isEqualTo(Reason.TOO_LARGE);
        assertThat(refusal("track", exchange(basic("new-key:"), "{\"userId\":"))).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(refusal("track", exchange(basic("new-key:"), "[1]"))).isEqualTo(Reason.MALFORMED_JSON);
        assertThat(refusal("track", exchange(basic("new-key:"), "{\"event\":\"E\",\"userId\":\" \"}")))
                .isEqualTo(Reason.NO_USER);
        assertThat(refusal("batch", exchange(basic("new-key:"), "{\"batch\":[{\"userId\":\"u\"}]}")))
                .isEqualTo(Reason.BAD_CALL);
        assertThat(refusal("batch", exchange(basic("new-key:"), "{\"batch\":{}}"))).isEqualTo(Reason.BAD_CALL);
        Exchange form = exchange(basic("new-key:"), "{}");
        form.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
        assertThat(refusal("track", form)).isEqualTo(Reason.UNSUPPORTED_MEDIA_TYPE);
        // a number is a user id too (Segment's clients send what the app gives)
        assertThat(refusal("track", exchange(basic("new-key:"), "{\"event\":\"E\",\"userId\":42}"))).isNull();
    }

    @Test
    void refusalsNeverEchoTheKey() throws Exception {
        TrackingRequests counted = new TrackingRequests(new WriteKeys(List.of("k")),
                // no inbox: the gauges that read it are not read here
                new TrackingMeters(new SimpleMeterRegistry(), CLOCK, null, java.time.Duration.ofSeconds(5)),
                new ObjectMapper(), CLOCK);
        Exchange exchange = exchange(basic("secret-guess:"), "{}");
        try {
            counted.check("track", exchange);
        } catch (TrackingRejectedException e) {
            counted.reject(e, exchange);
        }
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(401);
        assertThat(exchange.getMessage().getHeader("Authorization")).isNull();
        assertThat(exchange.getMessage().getBody(String.class)).doesNotContain("secret-guess")
                .contains("\"success\":false");
    }
}

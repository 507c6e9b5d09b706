package org.intercomhub.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntercomSettingsTest {

    @Test
    void defaultsFollowIntercomsDocumentation() {
        IntercomSettings settings = IntercomSettings.builder().accessToken("tok").build();

        assertThat(settings.region()).isEqualTo(IntercomRegion.US);
        assertThat(settings.version()).isEqualTo("2.16");
        assertThat(settings.maxRetries()).isEqualTo(6);
        assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.rateLimitReserve()).isZero();
    }

    @Test
    void eachRegionHasItsHost() {
        assertThat(IntercomRegion.fromName("us").baseUrl()).isEqualTo(URI.create("https://api.intercom.io"));
        assertThat(IntercomRegion.fromName("eu").baseUrl()).isEqualTo(URI.create("https://api.eu.intercom.io"));
        assertThat(IntercomRegion.fromName("AU").baseUrl()).isEqualTo(URI.create("https://api.au.intercom.io"));
        assertThatThrownBy(() -> IntercomRegion.fromName("mars")).hasMessageContaining("us, eu or au");
    }

    @Test
    void clientSendsRequestsToTheRegionHostUnlessABaseUrlIsGiven() {
        IntercomSettings eu = IntercomSettings.builder().accessToken("tok").region(IntercomRegion.EU).build();
        IntercomClient euClient = new IntercomClient(eu, new RateLimiter());
        assertThat(euClient.resolve("/contacts", Map.of("per_page", "50")))
                .isEqualTo(URI.create("https://api.eu.intercom.io/contacts?per_page=50"));

        IntercomSettings sandbox = eu.toBuilder().baseUrl("http://localhost:8080/sandbox/").build();
        assertThat(sandbox.effectiveBaseUrl()).isEqualTo(URI.create("http://localhost:8080/sandbox"));
        assertThat(new IntercomClient(sandbox, new RateLimiter()).resolve("/tags", Map.of()))
                .isEqualTo(URI.create("http://localhost:8080/sandbox/tags"));
    }

    @Test
    void toStringNeverShowsTheToken() {
        IntercomSettings settings = IntercomSettings.builder().accessToken("dG9rOnNlY3JldC12YWx1ZQ==").build();

        assertThat(settings.toString()).doesNotContain("dG9rOnNlY3JldC12YWx1ZQ==").contains("****");
        assertThat(new IntercomClient(settings, new RateLimiter()).toString())
                .doesNotContain("dG9rOnNlY3JldC12YWx1ZQ==");
    }

    @Test
    void rejectsMissingTokenAndImpossibleReserve() {
        assertThatThrownBy(() -> IntercomSettings.builder().build()).hasMessageContaining("INTERCOM_ACCESS_TOKEN");
        assertThatThrownBy(() -> IntercomSettings.builder().accessToken("t").rateLimitReserve(1.0).build())
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package org.intercomhub.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookSignaturesTest {

    private static final byte[] BODY = "{\"topic\":\"ping\",\"name\":\"Zoë ☃\"}".getBytes(StandardCharsets.UTF_8);

    private static WebhookSignatures signatures(boolean verify, String... secrets) {
        return new WebhookSignatures(new WebhookSettings(List.of(secrets), verify, 1024, 10, Duration.ofDays(1)));
    }

    @Test
    void matchesIntercomsHmacSha1OfTheRawBytes() {
        // RFC 2202 test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?")
        assertThat(WebhookSignatures.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("sha1=effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }

    @Test
    void acceptsAnyConfiguredSecretWhileRotating() {
        WebhookSignatures signatures = signatures(true, "old", "new");
        assertThatCode(() -> signatures.check(WebhookSignatures.sign("old", BODY), BODY)).doesNotThrowAnyException();
        assertThatCode(() -> signatures.check(WebhookSignatures.sign("new", BODY), BODY)).doesNotThrowAnyException();
        assertThatCode(() -> signatures.check(WebhookSignatures.sign("new", BODY).toUpperCase().replace("SHA1=",
                "sha1="), BODY)).doesNotThrowAnyException();
    }

    @Test
    void refusesMissingMalformedAndWrongSignatures() {
        WebhookSignatures signatures = signatures(true, "secret");
        assertThatThrownBy(() -> signatures.check(null, BODY)).isInstanceOf(WebhookRejectedException.class)
                .extracting(e -> ((WebhookRejectedException) e).status()).isEqualTo(401);
        assertThatThrownBy(() -> signatures.check("sha256=abcd", BODY))
                .extracting(e -> ((WebhookRejectedException) e).reason())
                .isEqualTo(WebhookRejectedException.Reason.BAD_SIGNATURE);
        assertThatThrownBy(() -> signatures.check("sha1=zz", BODY)).isInstanceOf(WebhookRejectedException.class);
        assertThatThrownBy(() -> signatures.check(WebhookSignatures.sign("other", BODY), BODY))
                .isInstanceOf(WebhookRejectedException.class);
        byte[] changed = BODY.clone();
        changed[3] ^= 1;
        assertThatThrownBy(() -> signatures.check(WebhookSignatures.sign("secret", BODY), changed))
                .isInstanceOf(WebhookRejectedException.class);
    }

    @Test
    void noSecretRefusesEverythingAndSettingsNeverPrintSecrets() {
        assertThatThrownBy(() -> signatures(true).check(WebhookSignatures.sign("x", BODY), BODY))
                .isInstanceOf(WebhookRejectedException.class);
        WebhookSettings settings = new WebhookSettings(WebhookSettings.parseSecrets(" s3cret-one , ,s3cret-two"),
                true, 1, 1, Duration.ofDays(1));
        assertThat(settings.clientSecrets()).containsExactly("s3cret-one", "s3cret-two");
        assertThat(settings.toString()).doesNotContain("s3cret");
    }
}

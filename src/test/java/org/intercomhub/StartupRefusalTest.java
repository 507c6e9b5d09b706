package org.intercomhub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Production start-up (no demo profile) stops, before any port or database is opened, with one line naming what is
 * missing or wrong; never falls back to a stand-in. Each test also empties the setting it is about, so a variable set
 * in the shell running the tests cannot hide it.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRefusalTest {

    @Test
    void withoutAccessTokenRefusesNamingIntercomAccessToken(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.bare().arg("intercom.access-token", "")
                .arg("warehouse.url", "jdbc:h2:mem:refusal").run())
                .isInstanceOf(MissingSettingException.class)
                .extracting(e -> ((MissingSettingException) e).variable()).isEqualTo("INTERCOM_ACCESS_TOKEN");
        // one line says what is missing (and one what to do): no stack trace, no second report, nothing started
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .containsOnlyOnce("INTERCOM_ACCESS_TOKEN is not set (intercom.access-token)")
                .contains("SPRING_PROFILES_ACTIVE=demo")
                .doesNotContain("at org.springframework").doesNotContain("Exception encountered")
                .doesNotContain("Tomcat initialized").doesNotContain("HikariPool");
    }

    @Test
    void withoutWarehouseUrlRefusesNamingWarehouseUrl(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.bare().arg("intercom.access-token", "t").arg("warehouse.url", "").run())
                .isInstanceOf(MissingSettingException.class)
                .extracting(e -> ((MissingSettingException) e).variable()).isEqualTo("WAREHOUSE_URL");
        assertThat(output.getOut()).contains("WAREHOUSE_URL is not set (warehouse.url)");
    }

    @Test
    void analyticsSwitchedOnWithoutKeyRefusesNamingAmplitudeApiKey(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().arg("analytics.enabled", "true")
                .arg("analytics.api-key", "").run())
                .isInstanceOf(MissingSettingException.class)
                .extracting(e -> ((MissingSettingException) e).variable()).isEqualTo("AMPLITUDE_API_KEY");
        assertThat(output.getOut()).contains("AMPLITUDE_API_KEY is not set (analytics.api-key)")
                .contains("ANALYTICS_ENABLED=true");
    }

    @Test
    void crmSwitchedOnWithoutBaseUrlRefusesNamingCrmBaseUrl(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().arg("crm.enabled", "true")
                .arg("crm.base-url", "").arg("crm.api-key", "k").run())
                .isInstanceOf(MissingSettingException.class)
                .extracting(e -> ((MissingSettingException) e).variable()).isEqualTo("CRM_BASE_URL");
        assertThat(output.getOut()).contains("CRM_BASE_URL is not set (crm.base-url)").contains("CRM_ENABLED=true");
    }

    @Test
    void aPushSyncWithAnUnknownObjectRefusesNamingTheSyncAndTheChoices(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().arg("camel.main.routes-include-pattern",
                "file:routes/*.camel.yaml,classpath:push-bad/sync.camel.yaml").run()).isNotNull();
        // refused while the routes are loaded, before any runs: Spring warns that the refresh stopped, then the one line
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START").doesNotContain("Started route")
                .contains("push sync bad_one: object 'ticket' is not allowed; allowed: contact, user, lead, "
                        + "company, event")
                .contains("routes/intercom-push.camel.yaml");
    }

    @Test
    void trackingSwitchedOnWithoutWriteKeysRefusesNamingTrackingWriteKeys(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().arg("tracking.enabled", "true")
                .arg("tracking.write-keys", " ").run())
                .isInstanceOf(MissingSettingException.class)
                .extracting(e -> ((MissingSettingException) e).variable()).isEqualTo("TRACKING_WRITE_KEYS");
        assertThat(output.getOut()).contains("TRACKING_WRITE_KEYS is not set (tracking.write-keys)")
                .contains("TRACKING_ENABLED=true");
    }

    @Test
    void unknownRegionRefusesNamingTheKeyAndTheRegions(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().arg("intercom.region", "mars").run()).isNotNull();
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("Property: intercom.region").contains("Value: \"mars\"")
                .contains("The following values are valid:").contains("AU").contains("EU").contains("US");
    }

    @Test
    void negativeMaxAttemptsRefusesNamingTheKey(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().arg("fanout.max-attempts", "-1").run()).isNotNull();
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("Value: \"-1\"").contains("\"fanout.max-attempts\" from property source")
                .contains("must be greater than or equal to 1");
    }

    @Test
    void unknownAmplitudeUserIdFieldRefusesNamingTheChoices(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().arg("analytics.user-id-field", "phone").run()).isNotNull();
        assertThat(output.getOut()).contains("Property: analytics.user-id-field")
                .contains("EMAIL").contains("USER_ID");
    }

    @Test
    void crmSyncModeMustBeCreateOrUpdateOnly(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().arg("crm.sync-mode", "mirror").run()).isNotNull();
        assertThat(output.getOut()).contains("Property: crm.sync-mode").contains("CREATE").contains("UPDATE_ONLY");
    }
}

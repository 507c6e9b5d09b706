package org.intercomhub.admin;

import org.intercomhub.HubStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No HUB_ADMIN_TOKENS: the admin API answers this machine only, and says so once at start-up. The test client is on
 * loopback; a caller elsewhere is refused (AdminAccessFilterTest, with a non-loopback remote address).
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminLoopbackModeTest {

    @Test
    void loopbackCallersAreAnsweredAndTheStartWarnsOnce(CapturedOutput output) {
        try (ConfigurableApplicationContext hub = HubStart.production().arg("intercom.max-retries", 0).run()) {
            AdminHttp http = new AdminHttp(((WebServerApplicationContext) hub).getWebServer().getPort());
            for (AdminHttp.Call call : AdminHttp.ROUTE_CALLS) {
                assertThat(http.send(call, null).statusCode()).as(call.toString()).isEqualTo(call.authorizedStatus());
            }
            // a token means nothing while none is configured; loopback still decides
            assertThat(http.send("GET", "/sync/status", null, "Bearer some-admin-token-123456").statusCode())
                    .isEqualTo(200);
            // forwarded by a proxy on this machine: not a loopback caller
            assertThat(http.send("GET", "/dead-letters", null, null, "X-Forwarded-For", "203.0.113.9").statusCode())
                    .isEqualTo(401);
            assertThat(output.getOut()).containsOnlyOnce("No HUB_ADMIN_TOKENS set");
        }
    }
}

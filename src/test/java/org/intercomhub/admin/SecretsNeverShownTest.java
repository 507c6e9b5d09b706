package org.intercomhub.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.HubStart;
import org.intercomhub.InvalidSettingException;
import org.intercomhub.sandbox.AmplitudeStub;
import org.intercomhub.sandbox.CrmStub;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sandbox.WebhookSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The hub started with every secret set, as environment variables: every endpoint called with no, a wrong and the
 * right token, a sync run through both branches (one of them refusing), webhooks signed and not, tracking calls with
 * the right and a guessed write key. No secret value is in any log line or any answer.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsNeverShownTest {

    static final String INTERCOM_TOKEN = "intercom-token-Qx7Vb9Lk3Zp";
    static final String CLIENT_SECRET = "client-secret-Hq4Rt8Wm2Ny";
    static final String AMPLITUDE_KEY = "amplitude-key-Jd5Fs1Pc6Tg";
    static final String CRM_KEY = "crm-key-Xe3Ku7Bn0Lw";
    static final String ADMIN_TOKEN = "admin-token-Mv9Gy2Sa4Dh";
    static final String ADMIN_TOKEN_2 = "admin-token-Rb6Nc8Vz1Ke";
    static final String WAREHOUSE_PASSWORD = "warehouse-pass-Ut5Yi3Ow7Qf";
    static final String WRITE_KEY = "write-key-Lp2Hs6Dq9Ja";
    static final List<String> SECRETS = List.of(INTERCOM_TOKEN, CLIENT_SECRET, AMPLITUDE_KEY, CRM_KEY, ADMIN_TOKEN,
            ADMIN_TOKEN_2, WAREHOUSE_PASSWORD, WRITE_KEY, WRITE_KEY + "-guess");

    @Test
    void noSecretInTheLogOrInAnyAnswer(CapturedOutput output) {
        List<String> answers = new ArrayList<>();
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withPort(0).withContacts(20)
                .withCompanies(5).withConversations(5).withAccessToken(INTERCOM_TOKEN));
             AmplitudeStub amplitude = new AmplitudeStub(0, AMPLITUDE_KEY);
             CrmStub crm = new CrmStub(0, CRM_KEY)) {
            crm.failWith(401); // the CRM refuses: its errors and dead letters are logged and shown
            try (ConfigurableApplicationContext hub = HubStart.bare()
                    .env("INTERCOM_ACCESS_TOKEN", INTERCOM_TOKEN)
                    .env("INTERCOM_BASE_URL", sandbox.baseUrl())
                    .env("INTERCOM_CLIENT_SECRET", CLIENT_SECRET)
                    .env("AMPLITUDE_API_KEY", AMPLITUDE_KEY)
                    .env("AMPLITUDE_URL", amplitude.url())
                    .env("CRM_BASE_URL", crm.baseUrl())
                    .env("CRM_API_KEY", CRM_KEY)
                    .env("HUB_ADMIN_TOKENS", ADMIN_TOKEN + "," + ADMIN_TOKEN_2)
                    .env("WAREHOUSE_URL", "jdbc:h2:mem:hub-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                    .env("WAREHOUSE_USER", "sa")
                    .env("WAREHOUSE_PASSWORD", WAREHOUSE_PASSWORD)
                    .env("TRACKING_WRITE_KEYS", WRITE_KEY)
                    .env("FANOUT_MAX_ATTEMPTS", "1")
                    .env("FANOUT_POLL_INTERVAL_MS", "50")
                    .run()) {
                int port = ((WebServerApplicationContext) hub).getWebServer().getPort();
                AdminHttp http = new AdminHttp(port);
                String right = "Bearer " + ADMIN_TOKEN;

                answers.add(http.send("POST", "/sync/all", null, right).body());
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    String status = http.send("GET", "/sync/status", null, right).body();
                    return !status.contains("\"running\"") && amplitude.ingestedCount() > 0
                            && http.send("GET", "/dead-letters?branch=crm", null, right).body().contains("\"id\"");
                });

                WebhookSender webhooks = new WebhookSender(sandbox.workspace(), "app",
                        URI.create("http://127.0.0.1:" + port + "/webhooks/intercom"), CLIENT_SECRET);
                WebhookSender.Delivery signed = webhooks.contact("contact.user.updated",
                        sandbox.workspace().contactIds().get(0));
                assertThat(signed.status()).isEqualTo(200);
                answers.add(signed.response());
                WebhookSender.Delivery wronglySigned = new WebhookSender(sandbox.workspace(), "app",
                        URI.create("http://127.0.0.1:" + port + "/webhooks/intercom"), "not-the-secret")
                        .deleted("contact.deleted", "contact", "gone-1");
                assertThat(wronglySigned.status()).isEqualTo(401);
                answers.add(wronglySigned.response());
                answers.add(http.send("POST", "/webhooks/intercom", "{}", right).body());

                // the tracking API with its write key (HTTP Basic, body), a guessed one, and a refused call
                String basic = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + ":").getBytes());
                String guess = "Basic " + Base64.getEncoder().encodeToString((WRITE_KEY + "-guess:")
                        .getBytes());
                String identify = "{\"userId\":\"secret-test-1\",\"traits\":{\"email\":\"s1@example.com\"}}";
                for (String[] call : new String[][] {{"/v1/identify", identify, basic, "200"},
                        {"/v1/import/", "{\"writeKey\":\"" + WRITE_KEY + "\",\"batch\":[{\"type\":\"track\","
                                + "\"userId\":\"secret-test-1\",\"event\":\"E\"}]}", null, "200"},
                        {"/v1/identify", identify, guess, "401"},
                        {"/v1/batch", "{\"writeKey\":\"" + WRITE_KEY + "-guess\",\"batch\":[]}", null, "401"},
                        {"/v1/track", "{\"writeKey\":\"" + WRITE_KEY + "\",\"event\":", null, "400"}}) {
                    HttpResponse<String> response = http.send("POST", call[0], call[1], call[2]);
                    assertThat(response.statusCode()).as(call[0]).isEqualTo(Integer.parseInt(call[3]));
                    answers.add(response.headers().map() + "\n" + response.body());
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    var applied = new ObjectMapper().readTree(
                            http.send("GET", "/sync/status", null, right).body()).path("tracking").path("applied");
                    return applied.path("identify").asInt() == 1 && applied.path("track").asInt() == 1;
                });
                answers.add(http.send("GET", "/dead-letters?branch=tracking", null, right).body());

                List<AdminHttp.Call> calls = new ArrayList<>(AdminHttp.ROUTE_CALLS);
                calls.addAll(List.of(new AdminHttp.Call("GET", "/actuator", null, 200),
                        new AdminHttp.Call("GET", "/actuator/health", null, 200),
                        new AdminHttp.Call("GET", "/actuator/health/liveness", null, 200),
                        new AdminHttp.Call("GET", "/actuator/health/readiness", null, 200),
                        new AdminHttp.Call("GET", "/actuator/prometheus", null, 200),
                        new AdminHttp.Call("GET", "/actuator/env", null, 404),
                        new AdminHttp.Call("GET", "/actuator/configprops", null, 404),
                        new AdminHttp.Call("GET", "/no-such-path", null, 404),
                        new AdminHttp.Call("POST", "/sync/no_such_collection", null, 404),
                        new AdminHttp.Call("POST", "/dead-letters/replay", "{\"branch\":\"crm\"}", 200)));
                for (AdminHttp.Call call : calls) {
                    for (String authorization : new String[] {null, "Bearer " + ADMIN_TOKEN + "-wrong", right,
                            "Bearer " + ADMIN_TOKEN_2}) {
                        HttpResponse<String> response = http.send(call, authorization);
                        answers.add(response.headers().map() + "\n" + response.body());
                    }
                    // answered (a sync trigger may find its run still going: 409)
                    assertThat(http.send(call, right).statusCode()).as(call.toString()).isNotEqualTo(401);
                }
                answers.add(http.send("GET", "/dead-letters?branch=crm", null, right).body());
            }
        }
        assertThat(answers).isNotEmpty();
        assertThat(output.getAll()).contains("sync summary");
        for (String secret : SECRETS) {
            assertThat(output.getAll()).as("the log").doesNotContain(secret);
            for (String answer : answers) {
                assertThat(answer).as("an answer").doesNotContain(secret);
            }
        }
    }

    @Test
    void aRefusedTokenIsNotShownWhenStartUpStops(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().env("HUB_ADMIN_TOKENS", ADMIN_TOKEN + ",tooShort-Wq8").run())
                .hasRootCauseInstanceOf(InvalidSettingException.class);
        assertThat(output.getAll()).contains("HUB_ADMIN_TOKENS").contains("token 2 of 2").doesNotContain("tooShort-Wq8")
                .doesNotContain(ADMIN_TOKEN);
    }
}

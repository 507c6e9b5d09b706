package org.intercomhub.demo;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.intercomhub.HubStart;
import org.intercomhub.fanout.FanoutConfiguration;
import org.intercomhub.sandbox.AmplitudeStub;
import org.intercomhub.sandbox.CrmStub;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without the demo profile nothing of the sandbox or the stubs is made or listens; branches run only when configured. */
@ExtendWith(OutputCaptureExtension.class)
class ProductionStartTest {

    @Test
    void productionHasNoSandboxNoStubsAndNothingOnTheirPorts(CapturedOutput output) throws Exception {
        int sandboxPort = HubStart.freePort();
        int amplitudePort = HubStart.freePort();
        int crmPort = HubStart.freePort();
        try (ConfigurableApplicationContext hub = HubStart.production()
                .arg("sandbox.port", sandboxPort)
                .arg("sandbox.amplitude-port", amplitudePort)
                .arg("sandbox.crm-port", crmPort)
                .run()) {
            assertThat(hub.getBeansOfType(SandboxServer.class)).isEmpty();
            assertThat(hub.getBeansOfType(AmplitudeStub.class)).isEmpty();
            assertThat(hub.getBeansOfType(CrmStub.class)).isEmpty();
            assertThat(hub.getBeansOfType(DemoConfiguration.class)).isEmpty();
            assertThat(hub.getBeansOfType(SandboxProperties.class)).isEmpty();
            for (int port : new int[] {sandboxPort, amplitudePort, crmPort}) {
                assertThatThrownBy(() -> connect(port)).as("port " + port).isInstanceOf(ConnectException.class);
            }
            // no credentials, nobody switched them on: both branches off, their routes stopped, said once each
            FanoutConfiguration.Branches branches = hub.getBean(FanoutConfiguration.Branches.class);
            assertThat(branches.enabled()).isEmpty();
            CamelContext camel = hub.getBean(CamelContext.class);
            assertThat(camel.getRouteController().getRouteStatus("analytics")).isNotEqualTo(ServiceStatus.Started);
            assertThat(camel.getRouteController().getRouteStatus("crm")).isNotEqualTo(ServiceStatus.Started);
            // no write keys: the tracking API is off, POST /v1/* is not served
            for (String route : new String[] {"tracking-identify", "tracking-batch", "tracking-import-slash",
                    "tracking-apply", "tracking-fanout"}) {
                assertThat(camel.getRouteController().getRouteStatus(route)).as(route)
                        .isNotEqualTo(ServiceStatus.Started);
            }
            int port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
            HttpResponse<String> identify = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/identify"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"u\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(identify.statusCode()).isEqualTo(404);
            assertThat(output.getOut()).containsOnlyOnce("Analytics branch off: no AMPLITUDE_API_KEY set")
                    .containsOnlyOnce("CRM branch off: no CRM_BASE_URL set")
                    .containsOnlyOnce("Tracking API off: no TRACKING_WRITE_KEYS set")
                    .doesNotContain("sandbox at").doesNotContain("stub");
        }
    }

    @Test
    void aBranchWithItsCredentialsRunsWithoutBeingSwitchedOn() {
        try (ConfigurableApplicationContext hub = HubStart.production()
                .arg("crm.base-url", "http://127.0.0.1:9").arg("crm.api-key", "k").run()) {
            FanoutConfiguration.Branches branches = hub.getBean(FanoutConfiguration.Branches.class);
            assertThat(branches.enabled()).extracting(b -> b.name()).containsExactly("crm");
            CamelContext camel = hub.getBean(CamelContext.class);
            assertThat(camel.getRouteController().getRouteStatus("crm")).isEqualTo(ServiceStatus.Started);
            assertThat(camel.getRouteController().getRouteStatus("analytics")).isNotEqualTo(ServiceStatus.Started);
        }
    }

    @Test
    void aBranchSwitchedOffStaysOffWithItsCredentials() {
        try (ConfigurableApplicationContext hub = HubStart.production()
                .arg("analytics.api-key", "key").arg("analytics.enabled", "false").run()) {
            assertThat(hub.getBean(FanoutConfiguration.Branches.class).enabled()).isEmpty();
        }
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
        }
    }
}

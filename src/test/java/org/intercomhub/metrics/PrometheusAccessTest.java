package org.intercomhub.metrics;

import org.intercomhub.HubStart;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** With admin tokens configured, the metrics are for admins only, also from loopback. */
class PrometheusAccessTest {

    static final String TOKEN = "metrics-admin-token-0123456789";

    @Test
    void prometheusAnswers401WithoutTheRightTokenAndTheMetersWithIt() {
        try (ConfigurableApplicationContext hub = HubStart.production().arg("admin.tokens", TOKEN).run()) {
            int port = Integer.parseInt(hub.getEnvironment().getProperty("local.server.port"));
            for (String wrong : new String[] {null, "Bearer " + TOKEN + "x", "Bearer wrong", "Basic " + TOKEN}) {
                HttpResponse<String> refused = Scrape.get(port, wrong);
                assertThat(refused.statusCode()).as(String.valueOf(wrong)).isEqualTo(401);
                assertThat(refused.body()).doesNotContain("hub_pull").doesNotContain("jvm_");
            }
            HttpResponse<String> admin = Scrape.get(port, "Bearer " + TOKEN);
            assertThat(admin.statusCode()).isEqualTo(200);
            assertThat(admin.body()).contains("hub_pull_records_total{collection=\"contacts\"} 0.0");
        }
    }
}

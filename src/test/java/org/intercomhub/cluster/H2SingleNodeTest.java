package org.intercomhub.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import org.intercomhub.HubStart;
import org.intercomhub.intercom.RateLimiter;
import org.intercomhub.intercom.SharedBudget;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** H2 (the demo) keeps Quartz in memory, and an instance that finds a second live one on its database says so. */
class H2SingleNodeTest {

    static HubStart onH2(String url) {
        return HubStart.bare().arg("intercom.access-token", "test-token").arg("intercom.base-url", "http://127.0.0.1:9")
                .arg("warehouse.url", url).arg("cluster.checkin-interval", "1s");
    }

    @Test
    void aSecondInstanceOnTheSameH2DatabaseIsNoticedByBoth() {
        String url = "jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (ConfigurableApplicationContext first = onH2(url).run();
             ConfigurableApplicationContext second = onH2(url).run()) {
            assertThat(first.getBean(ClusterRuns.class).clustered()).isFalse();
            assertThat(first.getBean(ClusterScheduler.class).clustered()).isFalse();
            String secondNode = second.getBean(ClusterNode.class).name();
            String firstNode = first.getBean(ClusterNode.class).name();
            long now = System.currentTimeMillis();
            // each wrote its heartbeat at start-up; each sees the other (and logs the warning on its next beat)
            assertThat(first.getBean(ClusterHeartbeat.class).otherLiveNodes(now)).containsExactly(secondNode);
            assertThat(second.getBean(ClusterHeartbeat.class).otherLiveNodes(now)).containsExactly(firstNode);
        }
    }

    @Test
    void oneInstanceAloneSeesNoOther() {
        String url = "jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (ConfigurableApplicationContext only = onH2(url).run()) {
            assertThat(only.getBean(ClusterHeartbeat.class).otherLiveNodes(System.currentTimeMillis())).isEmpty();
            // one instance: its limiter's own count is the budget; none is shared, none shown
            assertThat(only.getBean(RateLimiter.class).shared()).isSameAs(SharedBudget.NONE);
            assertThat(only.getBean(RateLimiter.class).shared().status()).isNull();
            assertThat(only.getBean(MeterRegistry.class).find("hub.intercom.rate.shared.budget").gauge()).isNull();
        }
    }

    @Test
    void aNodeRestartedUnderItsNameAfterACrashStarts() throws Exception {
        String url = "jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        try (ConfigurableApplicationContext first = onH2(url).arg("cluster.node-name", "hub-1").run()) {
            assertThat(first.getBean(ClusterNode.class).name()).isEqualTo("hub-1");
        }
        // a crash leaves the node's row behind (a clean stop removes it)
        try (var connection = java.sql.DriverManager.getConnection(url, "sa", "");
             var statement = connection.createStatement()) {
            statement.execute("INSERT INTO intercom_hub.cluster_nodes (node, started_at, heartbeat_at) VALUES"
                    + " ('hub-1', 1, 1)");
        }
        try (ConfigurableApplicationContext again = onH2(url).arg("cluster.node-name", "hub-1").run()) {
            assertThat(again.getBean(ClusterHeartbeat.class).otherLiveNodes(System.currentTimeMillis())).isEmpty();
        }
    }
}

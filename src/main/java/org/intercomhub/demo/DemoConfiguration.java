package org.intercomhub.demo;

import org.intercomhub.analytics.AnalyticsProperties;
import org.intercomhub.crm.CrmProperties;
import org.intercomhub.intercom.IntercomProperties;
import org.intercomhub.sandbox.AmplitudeStub;
import org.intercomhub.sandbox.CrmStub;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import javax.sql.DataSource;

/**
 * The demo (Spring profile {@code demo}; {@code ./mvnw spring-boot:run} turns it on): the Intercom sandbox and the
 * stub Amplitude and CRM, on loopback. application-demo.yaml points the hub at them (intercom.base-url and token,
 * analytics.url and key, crm.base-url and key) and at an H2 warehouse under ./data; the hub's own wiring does not
 * know it runs a demo. The only hub class that names the sandbox (SourceSeparationTest keeps it so).
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
@EnableConfigurationProperties(SandboxProperties.class)
public class DemoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DemoConfiguration.class);

    @Bean(destroyMethod = "close")
    public SandboxServer intercomSandbox(SandboxProperties sandbox, IntercomProperties intercom) {
        SandboxConfig config = SandboxConfig.defaults().toBuilder()
                .port(sandbox.port())
                .seed(sandbox.seed())
                .contacts(sandbox.contacts())
                .companies(sandbox.companies())
                .conversations(sandbox.conversations())
                .rateLimitPer10s(sandbox.rateLimitPer10s())
                .accessToken(intercom.accessToken())
                .build();
        SandboxServer server = SandboxServer.start(config);
        log.info("Demo profile: syncing the Intercom sandbox at {} ({} contacts, {} companies, {} conversations), "
                        + "not a real workspace", server.baseUrl(), config.contacts(), config.companies(),
                config.conversations());
        return server;
    }

    /** The models the demo's push syncs read (routes/demo/intercom-push-demo.camel.yaml), in the warehouse. */
    @Bean
    public DemoPushModels demoPushModels(DataSource warehouse) {
        new ResourceDatabasePopulator(new ClassPathResource("demo/push-models.sql")).execute(warehouse);
        log.info("Demo profile: push models in schema demo_models (crm_companies, crm_users, product_events); "
                + "the demo_* push syncs send them to the sandbox every minute");
        return new DemoPushModels();
    }

    /** Marks the demo's push models as made, so the routes that read them start after. */
    public record DemoPushModels() {
    }

    @Bean(destroyMethod = "close")
    public AmplitudeStub amplitudeStub(SandboxProperties sandbox, AnalyticsProperties analytics) {
        AmplitudeStub stub = new AmplitudeStub(sandbox.amplitudePort(), analytics.apiKey());
        stub.throttleShareOnce(sandbox.amplitudeThrottlePercent());
        log.info("Demo profile: the analytics branch sends to the stub Amplitude at {}", stub.url());
        return stub;
    }

    @Bean(destroyMethod = "close")
    public CrmStub crmStub(SandboxProperties sandbox, CrmProperties crm) {
        CrmStub stub = new CrmStub(sandbox.crmPort(), crm.apiKey());
        log.info("Demo profile: the CRM branch sends to the stub records API at {}", stub.baseUrl());
        return stub;
    }
}

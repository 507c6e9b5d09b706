package org.intercomhub;

import org.intercomhub.admin.AdminProperties;
import org.intercomhub.analytics.AnalyticsProperties;
import org.intercomhub.cluster.ClusterProperties;
import org.intercomhub.crm.CrmProperties;
import org.intercomhub.demo.SandboxProperties;
import org.intercomhub.fanout.FanoutProperties;
import org.intercomhub.inbox.InboxProperties;
import org.intercomhub.intercom.IntercomProperties;
import org.intercomhub.metrics.MetricsProperties;
import org.intercomhub.push.PushProperties;
import org.intercomhub.sync.SyncProperties;
import org.intercomhub.tracking.TrackingProperties;
import org.intercomhub.warehouse.WarehouseProperties;
import org.intercomhub.webhook.WebhookProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each default is written once, in its settings type; where application.yaml (or application-demo.yaml) shows a
 * value too, it must be the same. Read without any environment variable, as a fresh install reads them.
 */
class SettingsDefaultsTest {

    static final List<Class<?>> HUB = List.of(IntercomProperties.class, WarehouseProperties.class,
            SyncProperties.class, WebhookProperties.class, FanoutProperties.class, AnalyticsProperties.class,
            CrmProperties.class, AdminProperties.class, MetricsProperties.class, PushProperties.class,
            TrackingProperties.class, ClusterProperties.class, InboxProperties.class);

    @Test
    void applicationYamlAgreesWithTheSettingsTypes() throws Exception {
        Binder yaml = binderOf("application.yaml");
        for (Class<?> type : HUB) {
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            assertThat(yaml.bindOrCreate(prefix, type)).as(prefix).isEqualTo(new Binder().bindOrCreate(prefix, type));
        }
    }

    @Test
    void applicationDemoYamlAgreesWithTheSandboxSettings() throws Exception {
        assertThat(binderOf("application-demo.yaml").bindOrCreate("sandbox", SandboxProperties.class))
                .isEqualTo(new Binder().bindOrCreate("sandbox", SandboxProperties.class));
    }

    @Test
    void productionHasNoTokenWarehouseOrBranchCredentialsByDefault() throws Exception {
        Binder yaml = binderOf("application.yaml");
        assertThat(yaml.bindOrCreate("intercom", IntercomProperties.class).accessToken()).isNull();
        assertThat(yaml.bindOrCreate("warehouse", WarehouseProperties.class).url()).isNull();
        assertThat(yaml.bindOrCreate("admin", AdminProperties.class).tokens()).isEmpty();
        AnalyticsProperties analytics = yaml.bindOrCreate("analytics", AnalyticsProperties.class);
        assertThat(analytics.enabled()).isNull();
        assertThat(analytics.active()).isFalse();
        CrmProperties crm = yaml.bindOrCreate("crm", CrmProperties.class);
        assertThat(crm.enabled()).isNull();
        assertThat(crm.active()).isFalse();
        TrackingProperties tracking = yaml.bindOrCreate("tracking", TrackingProperties.class);
        assertThat(tracking.keys()).isEmpty();
        assertThat(tracking.active()).isFalse();
    }

    /** The file alone; its ${VARIABLE:default}s resolve to their defaults. */
    static Binder binderOf(String file) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        MutablePropertySources sources = environment.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        new YamlPropertySourceLoader().load(file, new FileSystemResource(file)).forEach(sources::addLast);
        ConfigurationPropertySources.attach(environment);
        return Binder.get(environment);
    }
}

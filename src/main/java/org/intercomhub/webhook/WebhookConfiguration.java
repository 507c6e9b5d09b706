package org.intercomhub.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.intercomhub.cluster.RowLeases;
import org.intercomhub.inbox.InboxProperties;
import org.intercomhub.metrics.MetricsProperties;
import org.intercomhub.record.RecordMapper;
import org.intercomhub.sync.BookkeepingSchema;
import org.intercomhub.sync.SyncApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/** Wires the beans of routes/intercom-webhook.camel.yaml from the {@code webhook:} section of application.yaml. */
@Configuration
@EnableConfigurationProperties(WebhookProperties.class)
public class WebhookConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebhookConfiguration.class);

    @Bean
    public WebhookSettings webhookSettings(WebhookProperties webhook) {
        WebhookSettings settings = webhook.toSettings();
        if (!settings.verifySignatures()) {
            log.warn("WEBHOOK_VERIFY_SIGNATURES=false: POST /webhooks/intercom accepts notifications WITHOUT checking "
                    + "their signature. Anyone who can reach it can write to the warehouse. Development only.");
        } else if (settings.clientSecrets().isEmpty()) {
            log.warn("No INTERCOM_CLIENT_SECRET set: every webhook notification will be refused with 401 until it is");
        }
        return settings;
    }

    @Bean
    public WebhookMeters webhookMeters(MeterRegistry meters, Clock clock, WebhookInbox inbox, SyncApi syncApi,
                                       MetricsProperties metrics) {
        WebhookMeters webhookMeters = new WebhookMeters(meters, clock, inbox, metrics.databaseGaugesCache());
        syncApi.addSection("webhooks", webhookMeters::snapshot);
        return webhookMeters;
    }

    @Bean
    public WebhookInbox webhookInbox(JdbcTemplate jdbc, BookkeepingSchema schema, Clock clock, RowLeases leases,
                                     InboxProperties inbox) {
        return new WebhookInbox(jdbc, schema, clock, leases, inbox);
    }

    @Bean
    public WebhookSignatures webhookSignatures(WebhookSettings settings) {
        return new WebhookSignatures(settings);
    }

    @Bean
    public WebhookRequests webhookRequests(WebhookSettings settings, WebhookMeters meters, ObjectMapper json) {
        return new WebhookRequests(settings, meters, json);
    }

    @Bean
    public WebhookReceiver webhookReceiver(WebhookInbox inbox, WebhookMeters meters) {
        return new WebhookReceiver(inbox, meters);
    }

    @Bean
    public WebhookTopics webhookTopics(RecordMapper mapper) {
        return new WebhookTopics(mapper);
    }

    @Bean
    public WebhookProcessor webhookProcessor(WebhookInbox inbox, WebhookTopics topics, WebhookMeters meters,
                                             WebhookSettings settings, ObjectMapper json, Clock clock) {
        return new WebhookProcessor(inbox, topics, meters, settings, json, clock);
    }
}

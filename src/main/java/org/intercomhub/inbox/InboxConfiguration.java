package org.intercomhub.inbox;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The {@code inbox:} settings, read by the webhook and tracking inboxes. */
@Configuration
@EnableConfigurationProperties(InboxProperties.class)
public class InboxConfiguration {
}

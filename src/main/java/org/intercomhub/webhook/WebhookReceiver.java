package org.intercomhub.webhook;

import org.apache.camel.Exchange;

/** Stores an accepted notification in the inbox, and counts it or its redelivery. */
public class WebhookReceiver {

    private final WebhookInbox inbox;
    private final WebhookMeters meters;

    public WebhookReceiver(WebhookInbox inbox, WebhookMeters meters) {
        this.inbox = inbox;
        this.meters = meters;
    }

    /** Returns once the row is committed; a redelivered id is flagged and not stored again. */
    public void store(Exchange exchange) {
        Notification notification = exchange.getMessage().getBody(Notification.class);
        boolean stored = inbox.store(notification);
        exchange.setProperty(WebhookRequests.DUPLICATE, !stored);
        if (stored) {
            meters.received(notification.topic());
        } else {
            meters.duplicate();
        }
    }
}

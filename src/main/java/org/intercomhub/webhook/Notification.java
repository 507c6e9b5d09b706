package org.intercomhub.webhook;

/**
 * An Intercom notification as the inbox keeps it: its envelope's id, topic and {@code created_at} (UNIX seconds,
 * null when absent), and the body exactly as received.
 */
public record Notification(String id, String topic, Long createdAt, String body) {
}

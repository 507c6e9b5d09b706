package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Delivers the sandbox workspace's changes as Intercom does: signed notifications ({@code X-Hub-Signature:
 * sha1=<hex>}, HMAC-SHA1 of the body with the app's client secret) in Intercom's envelope, POSTed to a subscription
 * URL, including redeliveries of the same notification id.
 */
public final class WebhookSender {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One delivery attempt: the notification as sent and the receiver's answer. */
    public record Delivery(String id, String topic, long createdAt, long firstSentAt, int attempt, byte[] body,
                           int status, String response) {
    }

    private final SandboxWorkspace workspace;
    private final URI target;
    private final String secret;
    private final String appId;
    private final HttpClient http;

    public WebhookSender(SandboxWorkspace workspace, String appId, URI target, String secret) {
        this.workspace = Objects.requireNonNull(workspace, "workspace");
        this.appId = appId;
        this.target = Objects.requireNonNull(target, "target");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public SandboxWorkspace workspace() {
        return workspace;
    }

    // ---------------------------------------------------------------- notifications from the workspace's records

    /** A contact topic ({@code contact.user.updated} ...) carrying the contact as the API serves it now. */
    public Delivery contact(String topic, String contactId) {
        return send(topic, require(workspace.contact(contactId), "contact", contactId));
    }

    public Delivery company(String topic, String companyId) {
        return send(topic, require(workspace.company(companyId), "company", companyId));
    }

    public Delivery conversation(String topic, String conversationId) {
        return send(topic, require(workspace.conversation(conversationId), "conversation", conversationId));
    }

    public Delivery ticket(String topic, String ticketId) {
        return send(topic, require(workspace.ticket(ticketId), "ticket", ticketId));
    }

    /** The minimal payload Intercom sends for deletions: type and id. */
    public Delivery deleted(String topic, String type, String id) {
        ObjectNode item = MAPPER.createObjectNode().put("type", type).put("id", id);
        return send(topic, item);
    }

    /** {@code contact.user.tag.created} / {@code .deleted}: {@code {type:"contact_tag", created_at, tag, contact}}. */
    public Delivery contactTag(String topic, String contactId, String tagId, String tagName) {
        ObjectNode item = MAPPER.createObjectNode().put("type", "contact_tag")
                .put("created_at", workspace.nowEpochSecond());
        item.putObject("tag").put("type", "tag").put("id", tagId).put("name", tagName);
        ObjectNode contact = workspace.contact(contactId);
        item.set("contact", contact != null ? contact : MAPPER.createObjectNode().put("type", "contact")
                .put("id", contactId));
        return send(topic, item);
    }

    /** {@code company.contact.attached} / {@code .detached}: the company and the contact. */
    public Delivery companyContact(String topic, String companyId, String contactId) {
        ObjectNode item = MAPPER.createObjectNode().put("type", "contact_company");
        item.set("company", require(workspace.company(companyId), "company", companyId));
        item.set("contact", require(workspace.contact(contactId), "contact", contactId));
        return send(topic, item);
    }

    // ---------------------------------------------------------------- sending

    /** A new notification (fresh id) with this item, sent once. */
    public Delivery send(String topic, JsonNode item) {
        long now = workspace.nowEpochSecond();
        return deliver("notif_" + UUID.randomUUID(), topic, item, now, now, 1);
    }

    /** The same notification again, as Intercom retries it: same id, body and created_at, one more attempt. */
    public Delivery redeliver(Delivery previous) {
        try {
            ObjectNode envelope = (ObjectNode) MAPPER.readTree(previous.body());
            return deliver(previous.id(), previous.topic(), envelope.path("data").path("item"), previous.createdAt(),
                    previous.firstSentAt(), previous.attempt() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Intercom's envelope ({@code type:"notification_event"}) around an item. */
    public byte[] envelope(String id, String topic, JsonNode item, long createdAt, long firstSentAt, int attempt) {
        ObjectNode envelope = MAPPER.createObjectNode();
        envelope.put("type", "notification_event");
        envelope.put("app_id", appId);
        ObjectNode data = envelope.putObject("data");
        data.put("type", "notification_event_data");
        data.set("item", item);
        envelope.putObject("links");
        envelope.put("id", id);
        envelope.put("topic", topic);
        envelope.put("delivery_status", "pending");
        envelope.put("delivery_attempts", attempt);
        envelope.putNull("delivered_at");
        envelope.put("first_sent_at", firstSentAt);
        envelope.put("created_at", createdAt);
        envelope.putNull("self");
        try {
            return MAPPER.writeValueAsBytes(envelope);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code sha1=<hex>} of a body with this sender's secret. */
    public String signature(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return "sha1=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs any body with any signature header and content type (null leaves the header out): for bad input. */
    public HttpResponse<String> post(byte[] body, String signature, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .header("User-Agent", "intercom-parrot-service-client/1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Hub-Signature", signature);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering a webhook", e);
        }
    }

    private Delivery deliver(String id, String topic, JsonNode item, long createdAt, long firstSentAt, int attempt) {
        byte[] body = envelope(id, topic, item, createdAt, firstSentAt, attempt);
        HttpResponse<String> response = post(body, signature(body), "application/json");
        return new Delivery(id, topic, createdAt, firstSentAt, attempt, body, response.statusCode(), response.body());
    }

    private static ObjectNode require(ObjectNode record, String type, String id) {
        if (record == null) {
            throw new IllegalArgumentException("no " + type + " " + id + " in the sandbox workspace");
        }
        return record;
    }
}

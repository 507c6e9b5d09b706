package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** POST /events (202, empty body) and GET /events?type=user&intercom_user_id|user_id|email=..[&summary=true]. */
final class EventEndpoints {

    private final SandboxWorkspace ws;

    EventEndpoints(SandboxWorkspace ws) {
        this.ws = ws;
    }

    SandboxResponse route(SandboxRequest req, String[] seg) {
        if (seg.length != 1) {
            return null;
        }
        if (req.method().equals("POST")) {
            ws.writeLock().lock();
            try {
                ws.writes().submitEvent(req.json());
            } finally {
                ws.writeLock().unlock();
            }
            return new SandboxResponse(202, new byte[0]);
        }
        if (req.method().equals("GET")) {
            return list(req);
        }
        return null;
    }

    /** The contact's events newest first ({@code event.list}), or per name ({@code event.summary}). */
    private SandboxResponse list(SandboxRequest req) {
        if (!"user".equals(req.param("type"))) {
            throw ApiException.badRequest("parameter_invalid", "type must be user");
        }
        ws.readLock().lock();
        try {
            SandboxWrites writes = ws.writes();
            int i;
            if (req.param("intercom_user_id") != null) {
                i = SandboxIds.contactIndex(req.param("intercom_user_id"));
                i = ws.contactsTable().exists(i) ? i : -1;
            } else if (req.param("user_id") != null) {
                i = writes.userBy("external_id", req.param("user_id"));
            } else if (req.param("email") != null) {
                i = writes.userBy("email", req.param("email"));
            } else {
                throw ApiException.badRequest("parameter_not_found", "intercom_user_id, user_id or email is required");
            }
            if (i < 0) {
                throw ApiException.notFound("not_found", "User Not Found");
            }
            List<ObjectNode> events = writes.eventsOf(i);
            String intercomId = SandboxIds.contact(i);
            String userId = ws.contactGenerator().externalId(i);
            String email = ws.contactGenerator().email(i);
            if ("true".equalsIgnoreCase(req.param("summary"))) {
                Map<String, long[]> byName = new LinkedHashMap<>();
                for (ObjectNode e : events) {
                    long at = e.path("created_at").asLong();
                    long[] s = byName.computeIfAbsent(e.path("event_name").asText(), k -> new long[] {at, at, 0});
                    s[0] = Math.min(s[0], at);
                    s[1] = Math.max(s[1], at);
                    s[2]++;
                }
                return SandboxResponse.ok(g -> {
                    g.writeStartObject();
                    g.writeStringField("type", "event.summary");
                    Json.stringOrNull(g, "email", email);
                    g.writeStringField("intercom_user_id", intercomId);
                    Json.stringOrNull(g, "user_id", userId);
                    g.writeArrayFieldStart("events");
                    for (Map.Entry<String, long[]> e : byName.entrySet()) {
                        g.writeStartObject();
                        g.writeStringField("name", e.getKey());
                        g.writeStringField("first", Instant.ofEpochSecond(e.getValue()[0]).toString());
                        g.writeStringField("last", Instant.ofEpochSecond(e.getValue()[1]).toString());
                        g.writeNumberField("count", e.getValue()[2]);
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                });
            }
            return SandboxResponse.ok(g -> {
                g.writeStartObject();
                g.writeStringField("type", "event.list");
                g.writeArrayFieldStart("events");
                for (int k = events.size() - 1; k >= 0; k--) {
                    g.writeTree(events.get(k));
                }
                g.writeEndArray();
                g.writeObjectFieldStart("pages");
                g.writeEndObject();
                g.writeEndObject();
            });
        } finally {
            ws.readLock().unlock();
        }
    }
}

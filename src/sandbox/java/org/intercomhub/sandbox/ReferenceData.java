package org.intercomhub.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

import static org.intercomhub.sandbox.SeededRandom.below;
import static org.intercomhub.sandbox.SeededRandom.belowLong;

/** The small, fixed collections: tags, segments, admins, teams and admin activity logs. */
final class ReferenceData {

    private static final String[] ACTIVITY_TYPES = {
        "admin_login_success", "admin_logout", "app_name_change", "admin_away_mode_change",
        "conversation_topic_change", "message_state_change", "team_assignment_limit_change"};

    private final SandboxConfig config;
    private final long generatedAt;

    ReferenceData(SandboxConfig config, long generatedAt) {
        this.config = config;
        this.generatedAt = generatedAt;
    }

    private long h(long i, int salt) {
        return SeededRandom.hash(config.seed(), SeededRandom.REFERENCE, i, salt);
    }

    // ------------------------------------------------------------ tags

    String tagName(int t) {
        String base = SampleWords.TAG_NAMES[t % SampleWords.TAG_NAMES.length];
        return t < SampleWords.TAG_NAMES.length ? base : base + "-" + (t / SampleWords.TAG_NAMES.length + 1);
    }

    void writeTag(JsonGenerator g, int t) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "tag");
        g.writeStringField("id", SandboxIds.tag(t));
        g.writeStringField("name", tagName(t));
        g.writeEndObject();
    }

    // ------------------------------------------------------------ segments

    /** Segment sizes are synthetic (a share of the contacts), since membership rules are not simulated. */
    void writeSegment(JsonGenerator g, int s, boolean includeCount, int contactCount) throws IOException {
        long created = generatedAt - 600 * 86_400L + s * 86_400L * 7;
        g.writeStartObject();
        g.writeStringField("type", "segment");
        g.writeStringField("id", SandboxIds.segment(s));
        g.writeStringField("name", "Segment " + (s + 1) + (s % 2 == 0 ? ": active users" : ": warm leads"));
        g.writeNumberField("created_at", created);
        g.writeNumberField("updated_at", created + belowLong(h(s, 1), 86_400L * 90));
        g.writeStringField("person_type", s % 2 == 0 ? "user" : "contact");
        if (includeCount) {
            g.writeNumberField("count", contactCount / (s + 2));
        }
        g.writeEndObject();
    }

    // ------------------------------------------------------------ admins and teams

    int teamOf(int admin) { return admin % config.teams(); }

    void writeAdmin(JsonGenerator g, int a) throws IOException {
        String first = SampleWords.FIRST_NAMES[a % SampleWords.FIRST_NAMES.length];
        g.writeStartObject();
        g.writeStringField("type", "admin");
        g.writeStringField("id", SandboxIds.admin(a));
        g.writeStringField("name", first + " Support");
        g.writeStringField("email", "admin" + (a + 1) + "@sandbox.example.com");
        g.writeStringField("job_title", a == 0 ? "Head of Support" : "Support Engineer");
        g.writeBooleanField("away_mode_enabled", a % 5 == 4);
        g.writeBooleanField("away_mode_reassign", false);
        g.writeNullField("away_status_reason_id");
        g.writeBooleanField("has_inbox_seat", true);
        g.writeArrayFieldStart("team_ids");
        g.writeNumber(SandboxIds.teamNumber(teamOf(a)));
        g.writeEndArray();
        g.writeObjectFieldStart("avatar");
        g.writeStringField("image_url", "https://static.example.com/admins/" + a + ".png");
        g.writeEndObject();
        g.writeObjectFieldStart("team_priority_level");
        g.writeArrayFieldStart("primary_team_ids");
        g.writeNumber(SandboxIds.teamNumber(teamOf(a)));
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    void writeTeam(JsonGenerator g, int t) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "team");
        g.writeStringField("id", SandboxIds.team(t));
        g.writeStringField("name", new String[] {"Support", "Sales", "Success", "Billing", "Engineering"}[t % 5]
                + (t < 5 ? "" : " " + (t / 5 + 1)));
        g.writeArrayFieldStart("admin_ids");
        for (int a = 0; a < config.admins(); a++) {
            if (teamOf(a) == t) {
                g.writeNumber(SandboxIds.adminNumber(a));
            }
        }
        g.writeEndArray();
        g.writeObjectFieldStart("admin_priority_level");
        g.writeArrayFieldStart("primary_admin_ids");
        for (int a = 0; a < config.admins(); a++) {
            if (teamOf(a) == t) {
                g.writeNumber(SandboxIds.adminNumber(a));
            }
        }
        g.writeEndArray();
        g.writeArrayFieldStart("secondary_admin_ids");
        g.writeEndArray();
        g.writeEndObject();
        g.writeNumberField("assignment_limit", 10 + t);
        g.writeStringField("distribution_method", t % 2 == 0 ? "round_robin" : "balanced");
        g.writeEndObject();
    }

    // ------------------------------------------------------------ activity logs

    /** Activity log i happened this long ago; logs are spread over two years, newest has the lowest index. */
    long activityLogCreatedAt(int i) {
        long step = (730 * 86_400L) / Math.max(1, config.activityLogs());
        return generatedAt - 60 - i * step - belowLong(h(i, 20), Math.max(1, step));
    }

    void writeActivityLog(JsonGenerator g, int i) throws IOException {
        int admin = below(h(i, 21), config.admins());
        String type = ACTIVITY_TYPES[below(h(i, 22), ACTIVITY_TYPES.length)];
        g.writeStartObject();
        g.writeStringField("type", "activity_log");
        g.writeStringField("id", Integer.toString(i + 1));
        g.writeObjectFieldStart("performed_by");
        g.writeStringField("type", "admin");
        g.writeStringField("id", SandboxIds.admin(admin));
        g.writeStringField("email", "admin" + (admin + 1) + "@sandbox.example.com");
        g.writeStringField("ip", "198.51.100." + (1 + below(h(i, 23), 250)));
        g.writeEndObject();
        g.writeObjectFieldStart("metadata");
        if (type.startsWith("admin_log")) {
            g.writeStringField("sign_in_method", "email_password");
        } else if (type.equals("app_name_change")) {
            g.writeStringField("before", "Sandbox");
            g.writeStringField("after", "Sandbox " + (i + 1));
        } else {
            g.writeStringField("source", "admin_ui");
        }
        g.writeEndObject();
        g.writeNumberField("created_at", activityLogCreatedAt(i));
        g.writeStringField("activity_type", type);
        g.writeStringField("activity_description", "Admin " + (admin + 1) + ": " + type.replace('_', ' '));
        g.writeEndObject();
    }
}

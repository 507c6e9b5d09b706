package org.intercomhub.record;

import org.intercomhub.warehouse.ColumnType;
import org.intercomhub.warehouse.TableSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.intercomhub.warehouse.ColumnType.BIGINT;
import static org.intercomhub.warehouse.ColumnType.BOOLEAN;
import static org.intercomhub.warehouse.ColumnType.DOUBLE;
import static org.intercomhub.warehouse.ColumnType.JSON;
import static org.intercomhub.warehouse.ColumnType.TEXT;
import static org.intercomhub.warehouse.ColumnType.TIMESTAMP;

/**
 * Every warehouse table with its documented columns (from the OpenAPI 2.16 schemas and Segment's property tables).
 * Columns a record brings beyond these (flattened custom attributes, fields newer API versions add) are added
 * when first seen; see {@link RecordMapper} for how JSON values become column values.
 */
public final class WarehouseTables {

    private static final Map<String, TableSpec> TABLES = new LinkedHashMap<>();

    static {
        top("contacts", cols(
                "id", TEXT, "external_id", TEXT, "workspace_id", TEXT, "role", TEXT, "email", TEXT,
                "email_domain", TEXT, "phone", TEXT, "name", TEXT, "owner_id", TEXT,
                "has_hard_bounced", BOOLEAN, "marked_email_as_spam", BOOLEAN, "unsubscribed_from_emails", BOOLEAN,
                "created_at", TIMESTAMP, "updated_at", TIMESTAMP, "signed_up_at", TIMESTAMP,
                "last_seen_at", TIMESTAMP, "last_replied_at", TIMESTAMP, "last_contacted_at", TIMESTAMP,
                "last_email_opened_at", TIMESTAMP, "last_email_clicked_at", TIMESTAMP,
                "language_override", TEXT, "browser", TEXT, "browser_version", TEXT, "browser_language", TEXT,
                "os", TEXT, "android_app_name", TEXT, "android_app_version", TEXT, "android_device", TEXT,
                "android_os_version", TEXT, "android_sdk_version", TEXT, "android_last_seen_at", TIMESTAMP,
                "ios_app_name", TEXT, "ios_app_version", TEXT, "ios_device", TEXT, "ios_os_version", TEXT,
                "ios_sdk_version", TEXT, "ios_last_seen_at", TIMESTAMP,
                "avatar", JSON, "location", JSON, "tags", JSON, "notes", JSON, "companies", JSON,
                "social_profiles", JSON, "merge_history", JSON, "custom_attributes", JSON));
        child("contact_tags", "contact_id", cols("contact_id", TEXT, "id", TEXT, "name", TEXT,
                "applied_at", TIMESTAMP, "applied_by", JSON));
        child("contact_companies", "contact_id", cols("contact_id", TEXT, "id", TEXT, "company_id", TEXT,
                "name", TEXT));
        child("social_profiles", "contact_id", cols("contact_id", TEXT, "id", TEXT, "name", TEXT, "url", TEXT,
                "username", TEXT));
        child("notes", "contact_id", cols("contact_id", TEXT, "id", TEXT, "created_at", TIMESTAMP,
                "body", TEXT, "author_id", TEXT, "author", JSON));

        top("companies", cols(
                "id", TEXT, "company_id", TEXT, "name", TEXT, "app_id", TEXT, "plan", JSON,
                "remote_created_at", TIMESTAMP, "created_at", TIMESTAMP, "updated_at", TIMESTAMP,
                "last_request_at", TIMESTAMP, "size", BIGINT, "website", TEXT, "industry", TEXT,
                "monthly_spend", DOUBLE, "session_count", BIGINT, "user_count", BIGINT,
                "tags", JSON, "segments", JSON, "notes", JSON, "custom_attributes", JSON));
        child("company_segments", "company_id", cols("company_id", TEXT, "id", TEXT, "name", TEXT));
        child("company_tags", "company_id", cols("company_id", TEXT, "id", TEXT, "name", TEXT));

        top("segments", cols("id", TEXT, "name", TEXT, "created_at", TIMESTAMP, "updated_at", TIMESTAMP,
                "person_type", TEXT, "count", BIGINT));
        top("tags", cols("id", TEXT, "name", TEXT));

        top("conversations", cols(
                "id", TEXT, "title", TEXT, "created_at", TIMESTAMP, "updated_at", TIMESTAMP,
                "waiting_since", TIMESTAMP, "snoozed_until", TIMESTAMP, "open", BOOLEAN, "state", TEXT,
                "read", BOOLEAN, "priority", TEXT, "admin_assignee_id", TEXT, "team_assignee_id", TEXT,
                "company", JSON, "tags", JSON, "conversation_rating", JSON, "source", JSON, "contacts", JSON,
                "teammates", JSON, "first_contact_reply", JSON, "sla_applied", JSON, "statistics", JSON,
                "linked_objects", JSON, "ai_agent_participated", BOOLEAN, "ai_agent", JSON,
                "custom_attributes", JSON,
                // how many parts Intercom has, and how many it let us read (it returns the newest 500 only)
                "parts_total_count", BIGINT, "parts_stored_count", BIGINT));
        child("conversation_parts", "conversation_id", cols(
                "conversation_id", TEXT, "id", TEXT, "part_type", TEXT, "body", TEXT,
                "created_at", TIMESTAMP, "updated_at", TIMESTAMP, "notified_at", TIMESTAMP,
                "assigned_to", JSON, "author", JSON, "attachments", JSON, "external_id", TEXT,
                "redacted", BOOLEAN, "state", TEXT, "tags", JSON, "metadata", JSON, "event_details", JSON,
                "app_package_code", TEXT));

        top("admins", cols("id", TEXT, "name", TEXT, "email", TEXT, "job_title", TEXT,
                "away_mode_enabled", BOOLEAN, "away_mode_reassign", BOOLEAN, "away_status_reason_id", TEXT,
                "has_inbox_seat", BOOLEAN, "team_ids", JSON, "avatar", JSON, "team_priority_level", JSON,
                "role", JSON));
        top("teams", cols("id", TEXT, "name", TEXT, "admin_ids", JSON, "admin_priority_level", JSON,
                "assignment_limit", BIGINT, "distribution_method", TEXT));
        top("data_attributes", cols("id", TEXT, "model", TEXT, "name", TEXT, "full_name", TEXT,
                "label", TEXT, "description", TEXT, "data_type", TEXT, "options", JSON,
                "api_writable", BOOLEAN, "messenger_writable", BOOLEAN, "ui_writable", BOOLEAN,
                "custom", BOOLEAN, "archived", BOOLEAN, "created_at", TIMESTAMP, "updated_at", TIMESTAMP,
                "admin_id", TEXT, "warehouse_column", TEXT));
        top("activity_logs", cols("id", TEXT, "performed_by", JSON, "metadata", JSON, "created_at", TIMESTAMP,
                "activity_type", TEXT, "activity_description", TEXT));
        top("tickets", cols("id", TEXT, "ticket_id", TEXT, "category", TEXT, "ticket_attributes", JSON,
                "ticket_state", JSON, "ticket_type", JSON, "contacts", JSON, "admin_assignee_id", TEXT,
                "team_assignee_id", TEXT, "created_at", TIMESTAMP, "updated_at", TIMESTAMP, "open", BOOLEAN,
                "snoozed_until", TIMESTAMP, "linked_objects", JSON, "ticket_parts", JSON, "is_shared", BOOLEAN,
                "previous_ticket_state_id", TEXT));
        // from event.created webhooks only: Intercom's API lists events per user, there is no collection to pull
        top("events", cols("id", TEXT, "event_name", TEXT, "created_at", TIMESTAMP, "user_id", TEXT,
                "email", TEXT, "intercom_user_id", TEXT, "metadata", JSON));

        // calls of the tracking API (POST /v1/*), named as Segment's warehouse schema names them; id is the messageId
        top("identifies", cols("id", TEXT, "user_id", TEXT, "anonymous_id", TEXT, "email", TEXT,
                "timestamp", TIMESTAMP, "sent_at", TIMESTAMP, "received_at", TIMESTAMP, "traits", JSON,
                "context", JSON, "integrations", JSON));
        top("groups", cols("id", TEXT, "user_id", TEXT, "anonymous_id", TEXT, "group_id", TEXT,
                "timestamp", TIMESTAMP, "sent_at", TIMESTAMP, "received_at", TIMESTAMP, "traits", JSON,
                "context", JSON, "integrations", JSON));
        top("tracks", cols("id", TEXT, "user_id", TEXT, "anonymous_id", TEXT, "email", TEXT, "event", TEXT,
                "event_text", TEXT, "timestamp", TIMESTAMP, "sent_at", TIMESTAMP, "received_at", TIMESTAMP,
                "properties", JSON, "context", JSON, "integrations", JSON));
    }

    /** Views that keep Segment's collection names working: its {@code users} and {@code contacts} (leads). */
    public static final Map<String, String> CONTACT_ROLE_VIEWS = Map.of("users", "user", "leads", "lead");

    private WarehouseTables() {
    }

    public static Map<String, TableSpec> all() {
        return TABLES;
    }

    public static TableSpec get(String table) {
        TableSpec spec = TABLES.get(table);
        if (spec == null) {
            throw new IllegalArgumentException("no warehouse table named " + table);
        }
        return spec;
    }

    private static void top(String name, Map<String, ColumnType> columns) {
        TABLES.put(name, new TableSpec(name, List.of("id"), columns, null));
    }

    private static void child(String name, String parentKey, Map<String, ColumnType> columns) {
        TABLES.put(name, new TableSpec(name, List.of(parentKey, "id"), columns, parentKey));
    }

    private static Map<String, ColumnType> cols(Object... nameTypePairs) {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            columns.put((String) nameTypePairs[i], (ColumnType) nameTypePairs[i + 1]);
        }
        return columns;
    }
}

package org.intercomhub.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.intercom.Pagers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.intercomhub.pull.SyncMode.FULL_REFRESH;
import static org.intercomhub.pull.SyncMode.INCREMENTAL;

/**
 * Every collection the hub pulls, with the endpoint and pagination style the Intercom API gives it
 * ({@code shared/intercom/API-NOTES.md} section 3). Child tables (contact_tags, conversation_parts, ...) come with
 * their parents and have no pull of their own.
 */
public final class PullCatalog {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Map<String, PullDefinition> definitions = new LinkedHashMap<>();

    public PullCatalog() {
        // Search is the only incremental path; contact dates match by calendar day, which the lower bound allows for.
        add(new PullDefinition("contacts", "contacts", INCREMENTAL, "updated_at",
                (client, since, cursor, perPage) -> Pagers.search(client, "/contacts/search",
                        updatedAfter(since), ascending("updated_at"), "data", perPage, cursor), false));
        add(new PullDefinition("conversations", "conversations", INCREMENTAL, "updated_at",
                (client, since, cursor, perPage) -> Pagers.search(client, "/conversations/search",
                        updatedAfter(since), null, "conversations", perPage, cursor), false));
        add(new PullDefinition("tickets", "tickets", INCREMENTAL, "updated_at",
                (client, since, cursor, perPage) -> Pagers.search(client, "/tickets/search",
                        updatedAfter(since), null, "tickets", perPage, cursor), false));
        add(new PullDefinition("activity_logs", "activity_logs", INCREMENTAL, "created_at",
                (client, since, cursor, perPage) -> Pagers.pageNumber(client, "/admins/activity_logs",
                        Map.of("created_at_after", Long.toString(since)), "activity_logs", perPage, cursor), false));
        // newest first, so a run can stop at the first deletion it has already seen
        add(new PullDefinition("deleted_conversations", "conversations", INCREMENTAL, "deleted_at",
                (client, since, cursor, perPage) -> Pagers.pageNumber(client, "/conversations/deleted",
                        Map.of("order", "desc"), "conversations", Math.min(perPage, 60), cursor), true));

        // Scroll, not /companies/list: the list skips companies without users and stops at 10,000.
        add(new PullDefinition("companies", "companies", FULL_REFRESH, null,
                (client, since, cursor, perPage) -> Pagers.scroll(client, "/companies/scroll", "data"), false));
        add(new PullDefinition("segments", "segments", FULL_REFRESH, null,
                (client, since, cursor, perPage) -> Pagers.single(client, "/segments",
                        Map.of("include_count", "true"), "segments"), false));
        add(new PullDefinition("tags", "tags", FULL_REFRESH, null,
                (client, since, cursor, perPage) -> Pagers.single(client, "/tags", Map.of(), "data"), false));
        add(new PullDefinition("admins", "admins", FULL_REFRESH, null,
                (client, since, cursor, perPage) -> Pagers.single(client, "/admins", Map.of(), "admins"), false));
        add(new PullDefinition("teams", "teams", FULL_REFRESH, null,
                (client, since, cursor, perPage) -> Pagers.single(client, "/teams", Map.of(), "teams"), false));
        add(new PullDefinition("data_attributes", "data_attributes", FULL_REFRESH, null,
                (client, since, cursor, perPage) -> new ChainedPager(List.of(
                        Pagers.single(client, "/data_attributes", Map.of("model", "contact"), "data"),
                        Pagers.single(client, "/data_attributes", Map.of("model", "company"), "data"))), false));
    }

    public PullDefinition get(String name) {
        PullDefinition definition = definitions.get(name);
        if (definition == null) {
            throw new UnknownCollectionException(name);
        }
        return definition;
    }

    public boolean has(String name) {
        return definitions.containsKey(name);
    }

    public List<String> names() {
        return List.copyOf(definitions.keySet());
    }

    private void add(PullDefinition definition) {
        definitions.put(definition.name(), definition);
    }

    static JsonNode updatedAfter(long since) {
        ObjectNode filter = JSON.objectNode();
        filter.put("field", "updated_at");
        filter.put("operator", ">");
        filter.put("value", since);
        return filter;
    }

    static JsonNode ascending(String field) {
        ObjectNode sort = JSON.objectNode();
        sort.put("field", field);
        sort.put("order", "ascending");
        return sort;
    }

    public static class UnknownCollectionException extends IllegalArgumentException {
        public UnknownCollectionException(String name) {
            super("unknown collection: " + name);
        }
    }
}

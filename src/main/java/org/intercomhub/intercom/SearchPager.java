package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code POST path} with {@code {query, sort?, pagination:{per_page, starting_after}}}, following
 * {@code pages.next.starting_after} (contacts, conversations and tickets search).
 */
public final class SearchPager extends AbstractPager {

    private final JsonNode query;
    private final JsonNode sort;
    private final int perPage;
    private final RepeatGuard guard;
    private String cursor;

    public SearchPager(IntercomClient client, String path, JsonNode query, JsonNode sort, String itemsField,
                       int perPage, String startingAfter) {
        super(client, path, itemsField);
        this.query = query;
        this.sort = sort;
        this.perPage = perPage;
        this.cursor = startingAfter;
        this.guard = new RepeatGuard("POST " + path, "starting_after cursor");
    }

    @Override
    protected Page fetchNext() {
        ObjectNode body = client.objectMapper().createObjectNode();
        body.set("query", query);
        if (sort != null && !sort.isNull()) {
            body.set("sort", sort);
        }
        ObjectNode pagination = body.putObject("pagination");
        pagination.put("per_page", perPage);
        if (cursor != null) {
            pagination.put("starting_after", cursor);
        }
        JsonNode response = client.post(path, body);
        List<JsonNode> items = items(response);
        String next = CursorPages.nextStartingAfter(response);
        if (next == null) {
            return new Page(items, null, true);
        }
        guard.check(cursor, next);
        cursor = next;
        return new Page(items, next, false);
    }
}

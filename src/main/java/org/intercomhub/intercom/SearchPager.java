package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code POST path} with {@code {query, sort?, pagination:{per_page, starting_after}}}, following
 * {@code pages.next.starting_after} (contacts, conversations and tickets search).
 */
public final class SearchPager extends StartingAfterPager {

    private final JsonNode query;
    private final JsonNode sort;
    private final int perPage;

    public SearchPager(IntercomClient client, String path, JsonNode query, JsonNode sort, String itemsField,
                       int perPage, String startingAfter) {
        super(client, "POST", path, itemsField, startingAfter);
        this.query = query;
        this.sort = sort;
        this.perPage = perPage;
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
        return pageOf(client.post(path, body));
    }
}

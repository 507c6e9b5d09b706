package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET path?per_page=N&starting_after=C}, following {@code pages.next.starting_after} (contacts, conversations). */
public final class CursorListPager extends AbstractPager {

    private final Map<String, String> fixedParams;
    private final int perPage;
    private final RepeatGuard guard;
    private String cursor;

    public CursorListPager(IntercomClient client, String path, Map<String, String> fixedParams, String itemsField,
                           int perPage, String startingAfter) {
        super(client, path, itemsField);
        this.fixedParams = Map.copyOf(fixedParams);
        this.perPage = perPage;
        this.cursor = startingAfter;
        this.guard = new RepeatGuard("GET " + path, "starting_after cursor");
    }

    @Override
    protected Page fetchNext() {
        Map<String, String> query = new LinkedHashMap<>(fixedParams);
        query.put("per_page", Integer.toString(perPage));
        if (cursor != null) {
            query.put("starting_after", cursor);
        }
        JsonNode response = client.get(path, query);
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

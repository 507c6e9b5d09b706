package org.intercomhub.intercom;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET path?per_page=N&starting_after=C}, following {@code pages.next.starting_after} (contacts, conversations). */
public final class CursorListPager extends StartingAfterPager {

    private final Map<String, String> fixedParams;
    private final int perPage;

    public CursorListPager(IntercomClient client, String path, Map<String, String> fixedParams, String itemsField,
                           int perPage, String startingAfter) {
        super(client, "GET", path, itemsField, startingAfter);
        this.fixedParams = Map.copyOf(fixedParams);
        this.perPage = perPage;
    }

    @Override
    protected Page fetchNext() {
        Map<String, String> query = new LinkedHashMap<>(fixedParams);
        query.put("per_page", Integer.toString(perPage));
        if (cursor != null) {
            query.put("starting_after", cursor);
        }
        return pageOf(client.get(path, query));
    }
}

package org.intercomhub.intercom;

import java.util.Map;

/** Endpoints that return the whole list at once ({@code /tags}, {@code /admins}, {@code /teams}, {@code /segments}). */
public final class SinglePager extends AbstractPager {

    private final Map<String, String> query;

    public SinglePager(IntercomClient client, String path, Map<String, String> query, String itemsField) {
        super(client, "GET", path, itemsField);
        this.query = Map.copyOf(query);
    }

    @Override
    protected Page fetchNext() {
        return new Page(items(client.get(path, query)), null, true);
    }
}

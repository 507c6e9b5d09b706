package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Follows {@code pages.next} as an absolute URL ({@code GET /events}); the resume cursor is that URL. */
public final class NextUrlPager extends AbstractPager {

    private final Map<String, String> firstQuery;
    private final RepeatGuard guard;
    private String nextUrl;

    /** @param startUrl a resume cursor from an earlier page, or null to start with {@code path?firstQuery} */
    public NextUrlPager(IntercomClient client, String path, Map<String, String> firstQuery, String itemsField,
                        String startUrl) {
        super(client, "GET", path, itemsField);
        this.firstQuery = Map.copyOf(firstQuery);
        this.nextUrl = startUrl;
        this.guard = new RepeatGuard("GET " + path, "next URL");
    }

    @Override
    protected Page fetchNext() {
        JsonNode response = nextUrl == null ? client.get(path, firstQuery) : client.get(nextUrl, Map.of());
        List<JsonNode> items = items(response);
        String following = text(response.path("pages").get("next"));
        if (following == null || items.isEmpty()) {
            return new Page(items, null, true);
        }
        guard.check(nextUrl, following);
        nextUrl = following;
        return new Page(items, following, false);
    }
}

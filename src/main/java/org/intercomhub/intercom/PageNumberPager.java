package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET path?page=P&per_page=N} (companies, conversations/deleted, articles, activity logs...). Ends when
 * {@code page >= total_pages}, when {@code pages.next} is null, or on an empty page. The resume cursor is the next
 * page number.
 */
public final class PageNumberPager extends AbstractPager {

    private final Map<String, String> fixedParams;
    private final int perPage;
    private final RepeatGuard guard;
    private int page;

    public PageNumberPager(IntercomClient client, String path, Map<String, String> fixedParams, String itemsField,
                           int perPage, String startPage) {
        super(client, "GET", path, itemsField);
        this.fixedParams = Map.copyOf(fixedParams);
        this.perPage = perPage;
        this.page = parsePage(startPage);
        this.guard = new RepeatGuard("GET " + path, "page");
    }

    private static int parsePage(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 1;
        }
        try {
            int page = Integer.parseInt(cursor.trim());
            if (page < 1) {
                throw new NumberFormatException("below 1");
            }
            return page;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a page-number resume cursor: '" + cursor + "'", e);
        }
    }

    @Override
    protected Page fetchNext() {
        Map<String, String> query = new LinkedHashMap<>(fixedParams);
        query.put("page", Integer.toString(page));
        query.put("per_page", Integer.toString(perPage));
        JsonNode response = client.get(path, query);
        List<JsonNode> items = items(response);
        JsonNode pages = response.path("pages");
        // A server that ignores the page parameter answers page 1 over and over: catch it.
        JsonNode served = pages.get("page");
        if (page > 1 && served != null && served.canConvertToInt()) {
            guard.check(Integer.toString(page - 1), Integer.toString(served.asInt()));
        }
        int totalPages = pages.path("total_pages").canConvertToInt() ? pages.path("total_pages").asInt(-1) : -1;
        boolean noNext = pages.isMissingNode() || pages.isNull()
                || (text(pages.get("next")) == null && !pages.path("next").isObject());
        boolean last = items.isEmpty() || (totalPages >= 0 && page >= totalPages) || noNext;
        page++;
        return last ? new Page(items, null, true) : new Page(items, Integer.toString(page), false);
    }
}

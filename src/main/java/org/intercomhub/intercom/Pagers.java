package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One factory method per Intercom paging style. {@code resumeCursor} is a {@link Page#resumeCursor()} from an
 * earlier pager of the same style and path, or null to start from the beginning.
 */
public final class Pagers {

    private Pagers() {
    }

    /** {@code GET path?per_page&starting_after}: contacts ({@code data}), conversations ({@code conversations}). */
    public static Pager cursor(IntercomClient client, String path, String itemsField, int perPage,
                               String resumeCursor) {
        return cursor(client, path, Map.of(), itemsField, perPage, resumeCursor);
    }

    public static Pager cursor(IntercomClient client, String path, Map<String, String> fixedParams,
                               String itemsField, int perPage, String resumeCursor) {
        return new CursorListPager(client, path, fixedParams, itemsField, perPage, resumeCursor);
    }

    /** {@code POST path} search with {@code query}, optional {@code sort} (may be null) and cursor pagination. */
    public static Pager search(IntercomClient client, String path, JsonNode query, JsonNode sort, String itemsField,
                               int perPage, String resumeCursor) {
        return new SearchPager(client, path, query, sort, itemsField, perPage, resumeCursor);
    }

    /** {@code GET path?page&per_page} plus fixed parameters: companies, conversations/deleted, articles... */
    public static Pager pageNumber(IntercomClient client, String path, Map<String, String> fixedParams,
                                   String itemsField, int perPage, String resumeCursor) {
        return new PageNumberPager(client, path, fixedParams, itemsField, perPage, resumeCursor);
    }

    /** {@code GET /companies/scroll}: one scroll per app at a time, not resumable; close it if you stop early. */
    public static Pager scroll(IntercomClient client, String path, String itemsField) {
        return new ScrollPager(client, path, itemsField);
    }

    /** {@code GET path?query}, then the absolute URLs of {@code pages.next} ({@code /events}). */
    public static Pager nextUrl(IntercomClient client, String path, Map<String, String> query, String itemsField,
                                String resumeCursor) {
        return new NextUrlPager(client, path, query, itemsField, resumeCursor);
    }

    /** One GET returning the whole list: {@code /tags} ({@code data}), {@code /admins} ({@code admins}) ... */
    public static Pager single(IntercomClient client, String path, Map<String, String> query, String itemsField) {
        return new SinglePager(client, path, query, itemsField);
    }
}

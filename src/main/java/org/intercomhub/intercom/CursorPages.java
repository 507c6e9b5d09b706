package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Reads the next cursor of {@code pages.next.starting_after}, shared by list and search paging. */
final class CursorPages {

    private CursorPages() {
    }

    /** The cursor of the next page, or null when {@code pages.next} is absent or null (the last page). */
    static String nextStartingAfter(JsonNode response) {
        JsonNode next = response.path("pages").path("next");
        if (next.isObject()) {
            return AbstractPager.text(next.get("starting_after"));
        }
        String link = AbstractPager.text(next);
        // A few endpoints give the next page as a link: take its starting_after parameter.
        return link == null ? null : queryParameter(link, "starting_after");
    }

    private static String queryParameter(String link, String name) {
        String query;
        try {
            query = URI.create(link).getRawQuery();
        } catch (IllegalArgumentException notAUri) {
            return null;
        }
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}

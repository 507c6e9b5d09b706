package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of a listing.
 *
 * @param items        the records of this page, in server order
 * @param resumeCursor opaque token that makes a new pager of the same kind start right after this page; null when
 *                     the listing cannot be resumed (a scroll) or nothing follows (the last page)
 * @param last         true when no page follows
 */
public record Page(List<JsonNode> items, String resumeCursor, boolean last) {

    public Page {
        items = List.copyOf(items);
    }
}

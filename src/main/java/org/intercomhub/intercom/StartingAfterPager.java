package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The cursor styles (list and search): each response's {@code pages.next.starting_after} is the next request's
 * cursor, and a cursor handed back twice in a row stops the listing instead of looping.
 */
abstract class StartingAfterPager extends AbstractPager {

    private final RepeatGuard guard;
    /** Where the next request starts: null for the first page. */
    protected String cursor;

    StartingAfterPager(IntercomClient client, String method, String path, String itemsField, String startingAfter) {
        super(client, method, path, itemsField);
        this.cursor = startingAfter;
        this.guard = new RepeatGuard(method + " " + path, "starting_after cursor");
    }

    /** The page a response holds; moves the cursor past it. */
    protected Page pageOf(JsonNode response) {
        String next = CursorPages.nextStartingAfter(response);
        if (next == null) {
            return new Page(items(response), null, true);
        }
        guard.check(cursor, next);
        cursor = next;
        return new Page(items(response), next, false);
    }
}

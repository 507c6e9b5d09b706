package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The bookkeeping every paging style shares: stop after the last page, read the items array, and stop a server that
 * serves the same records again (see {@link RepeatedRecordsGuard}; by default against the previous page).
 */
abstract class AbstractPager implements Pager {

    protected final IntercomClient client;
    protected final String path;
    protected final String itemsField;
    protected final RepeatedRecordsGuard repeats;
    private boolean finished;

    AbstractPager(IntercomClient client, String method, String path, String itemsField) {
        this(client, path, itemsField, RepeatedRecordsGuard.acrossOnePage(method + " " + path));
    }

    AbstractPager(IntercomClient client, String path, String itemsField, RepeatedRecordsGuard repeats) {
        this.client = client;
        this.path = path;
        this.itemsField = itemsField;
        this.repeats = repeats;
    }

    @Override
    public final boolean hasNext() {
        return !finished;
    }

    @Override
    public final Page next() {
        if (finished) {
            throw new NoSuchElementException("No page after the last one of " + path);
        }
        try {
            Page page = fetchNext();
            repeats.check(page.items());
            finished = page.last();
            return page;
        } catch (RuntimeException e) {
            finished = true;
            close();
            throw e;
        }
    }

    protected abstract Page fetchNext();

    /** The array under {@code itemsField}; a missing field means a wrong configuration, not an empty page. */
    protected List<JsonNode> items(JsonNode response) {
        JsonNode array = response.get(itemsField);
        if (array == null || !array.isArray()) {
            if (array != null && array.isNull()) {
                return List.of();
            }
            throw new IntercomPaginationException(path + " response has no '" + itemsField + "' array (type "
                    + response.path("type").asText("?") + ")");
        }
        List<JsonNode> items = new ArrayList<>(array.size());
        array.forEach(items::add);
        return items;
    }

    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        String value = node.asText();
        return value.isEmpty() ? null : value;
    }
}

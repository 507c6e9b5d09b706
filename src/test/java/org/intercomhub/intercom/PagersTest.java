package org.intercomhub.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.NoSuchElementException;
import org.intercomhub.intercom.FakeIntercom.Call;
import org.intercomhub.intercom.FakeIntercom.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each paging style against a server that pages 7 records the way Intercom documents it. */
class PagersTest {

    private static final int TOTAL = 7;

    private FakeIntercom intercom;
    private IntercomClient client;

    @BeforeEach
    void start() throws Exception {
        intercom = new FakeIntercom();
        client = intercom.client();
    }

    @AfterEach
    void stop() {
        intercom.close();
    }

    @Test
    void cursorListVisitsEveryPageThenStops() {
        intercom.route("GET", "/contacts", call -> cursorPage("data", call.query().get("starting_after"),
                Integer.parseInt(call.query().get("per_page"))));

        Pager pager = Pagers.cursor(client, "/contacts", "data", 3, null);
        List<Page> pages = drain(pager);

        assertThat(ids(pages)).containsExactly("r1", "r2", "r3", "r4", "r5", "r6", "r7");
        assertThat(pages).extracting(Page::last).containsExactly(false, false, true);
        assertThat(pages.get(0).resumeCursor()).isEqualTo("Wz3");
        assertThat(pages.get(2).resumeCursor()).isNull();
        assertThat(pager.hasNext()).isFalse();
        assertThatThrownBy(pager::next).isInstanceOf(NoSuchElementException.class);
        assertThat(intercom.calls("/contacts").get(0).query()).containsEntry("per_page", "3")
                .doesNotContainKey("starting_after");
        assertThat(intercom.calls("/contacts").get(1).query()).containsEntry("starting_after", "Wz3");
    }

    @Test
    void cursorListResumesRightAfterACheckpointedPage() {
        intercom.route("GET", "/conversations", call -> cursorPage("conversations",
                call.query().get("starting_after"), Integer.parseInt(call.query().get("per_page"))));
        Page first = Pagers.cursor(client, "/conversations", Map.of("display_as", "plaintext"), "conversations", 3,
                null).next();

        List<Page> rest = drain(Pagers.cursor(client, "/conversations", "conversations", 3, first.resumeCursor()));

        assertThat(ids(List.of(first))).containsExactly("r1", "r2", "r3");
        assertThat(ids(rest)).containsExactly("r4", "r5", "r6", "r7");
        assertThat(intercom.calls("/conversations").get(0).query()).containsEntry("display_as", "plaintext");
    }

    @Test
    void cursorRepeatedByTheServerStopsInsteadOfLooping() {
        intercom.route("GET", "/contacts", call -> Reply.json("{\"type\":\"list\",\"data\":[{\"id\":\"x\"}],"
                + "\"pages\":{\"type\":\"pages\",\"next\":{\"per_page\":1,\"starting_after\":\"WzStuck\"}}}"));
        Pager pager = Pagers.cursor(client, "/contacts", "data", 1, null);

        pager.next();
        assertThatThrownBy(pager::next).isInstanceOf(IntercomPaginationException.class)
                .hasMessageContaining("returned the same starting_after cursor twice");
        assertThat(pager.hasNext()).isFalse();
        assertThat(intercom.calls("/contacts")).hasSize(2);
    }

    @Test
    void searchPostsQuerySortAndPagination() {
        intercom.route("POST", "/contacts/search", call -> cursorPage("data",
                call.body().path("pagination").path("starting_after").asText(null),
                call.body().path("pagination").path("per_page").asInt()));
        ObjectNode query = FakeIntercom.JSON.createObjectNode().put("field", "updated_at").put("operator", ">")
                .put("value", 1700000000);
        ObjectNode sort = FakeIntercom.JSON.createObjectNode().put("field", "updated_at").put("order", "ascending");

        List<Page> pages = drain(Pagers.search(client, "/contacts/search", query, sort, "data", 4, null));

        assertThat(ids(pages)).containsExactly("r1", "r2", "r3", "r4", "r5", "r6", "r7");
        List<Call> calls = intercom.calls("/contacts/search");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).body().path("query")).isEqualTo(query);
        assertThat(calls.get(0).body().path("sort")).isEqualTo(sort);
        assertThat(calls.get(0).body().path("pagination").path("per_page").asInt()).isEqualTo(4);
        assertThat(calls.get(0).body().path("pagination").has("starting_after")).isFalse();
        assertThat(calls.get(1).body().path("pagination").path("starting_after").asText()).isEqualTo("Wz4");
    }

    @Test
    void searchResumesFromACursorAndOmitsAbsentSort() {
        intercom.route("POST", "/tickets/search", call -> cursorPage("tickets",
                call.body().path("pagination").path("starting_after").asText(null),
                call.body().path("pagination").path("per_page").asInt()));
        JsonNode query = FakeIntercom.JSON.createObjectNode().put("field", "open").put("operator", "=")
                .put("value", true);

        List<Page> pages = drain(Pagers.search(client, "/tickets/search", query, null, "tickets", 3, "Wz6"));

        assertThat(ids(pages)).containsExactly("r7");
        assertThat(intercom.calls("/tickets/search").get(0).body().has("sort")).isFalse();
    }

    @Test
    void pageNumberStopsAtTotalPagesAndResumesAtTheNextPage() {
        intercom.route("GET", "/companies", call -> numberedPage("data",
                Integer.parseInt(call.query().get("page")), Integer.parseInt(call.query().get("per_page")), true));

        List<Page> pages = drain(Pagers.pageNumber(client, "/companies", Map.of("segment_id", "s1"), "data", 3, null));
        List<Page> resumed = drain(Pagers.pageNumber(client, "/companies", Map.of(), "data", 3,
                pages.get(0).resumeCursor()));

        assertThat(ids(pages)).containsExactly("r1", "r2", "r3", "r4", "r5", "r6", "r7");
        assertThat(pages).extracting(Page::resumeCursor).containsExactly("2", "3", null);
        assertThat(ids(resumed)).containsExactly("r4", "r5", "r6", "r7");
        assertThat(intercom.calls("/companies").get(0).query())
                .containsEntry("page", "1").containsEntry("per_page", "3").containsEntry("segment_id", "s1");
        assertThat(intercom.calls("/companies")).hasSize(5);
    }

    @Test
    void pageNumberStopsWhenNextIsNullWithoutTotalPages() {
        intercom.route("GET", "/conversations/deleted", call -> numberedPage("conversations",
                Integer.parseInt(call.query().get("page")), Integer.parseInt(call.query().get("per_page")), false));

        List<Page> pages = drain(Pagers.pageNumber(client, "/conversations/deleted", Map.of("order", "asc"),
                "conversations", 2, null));

        assertThat(ids(pages)).hasSize(TOTAL);
        assertThat(intercom.calls("/conversations/deleted")).hasSize(4);
    }

    @Test
    void pageNumberStopsOnAnEmptyPage() {
        intercom.route("GET", "/articles", call -> Reply.json("{\"type\":\"list\",\"data\":[],"
                + "\"pages\":{\"type\":\"pages\",\"page\":1,\"next\":\"" + intercom.baseUrl() + "/articles?page=2\"}}"));

        List<Page> pages = drain(Pagers.pageNumber(client, "/articles", Map.of(), "data", 25, null));

        assertThat(pages).singleElement().satisfies(page -> assertThat(page.last()).isTrue());
    }

    @Test
    void pageNumberServerThatIgnoresThePageStopsInsteadOfLooping() {
        intercom.route("GET", "/companies", call -> Reply.json("{\"type\":\"list\",\"data\":[{\"id\":\"same\"}],"
                + "\"pages\":{\"type\":\"pages\",\"page\":1,\"next\":\"" + intercom.baseUrl() + "/companies?page=2\"}}"));
        Pager pager = Pagers.pageNumber(client, "/companies", Map.of(), "data", 1, null);

        pager.next();
        assertThatThrownBy(pager::next).isInstanceOf(IntercomPaginationException.class)
                .hasMessageContaining("returned the same page twice");
    }

    @Test
    void pageNumberServerThatIgnoresThePageAndEchoesNoPageIsCaughtByItsRecords() {
        // no pages.page to compare: only the records show that page 2 is page 1 again
        intercom.route("GET", "/activity_logs", call -> Reply.json("{\"type\":\"list\",\"data\":[{\"id\":\"a\"},"
                + "{\"id\":\"b\"}],\"pages\":{\"type\":\"pages\",\"next\":\"" + intercom.baseUrl() + "/x\"}}"));
        Pager pager = Pagers.pageNumber(client, "/activity_logs", Map.of(), "data", 2, null);

        pager.next();
        assertThatThrownBy(pager::next).isInstanceOf(IntercomPaginationException.class)
                .hasMessageContaining("GET /activity_logs served page 2 with 2 records that were all already read");
        assertThat(intercom.calls("/activity_logs")).hasSize(2);
    }

    @Test
    void searchWhoseCursorMovesButWhoseRecordsDoNotIsCaughtByItsRecords() {
        AtomicInteger calls = new AtomicInteger();
        intercom.route("POST", "/contacts/search", call -> Reply.json("{\"type\":\"list\",\"data\":[{\"type\":"
                + "\"contact\",\"id\":\"c1\"}],\"pages\":{\"next\":{\"starting_after\":\"Wz" + calls.incrementAndGet()
                + "\"}}}"));
        Pager pager = Pagers.search(client, "/contacts/search", FakeIntercom.JSON.createObjectNode(), null, "data",
                150, null);

        pager.next();
        assertThatThrownBy(pager::next).isInstanceOf(IntercomPaginationException.class)
                .hasMessageContaining("POST /contacts/search served page 2");
    }

    @Test
    void nextUrlFollowsAbsoluteLinksAndResumesFromOne() {
        intercom.route("GET", "/events", call -> {
            int from = Integer.parseInt(call.query().getOrDefault("from", "0"));
            ObjectNode body = FakeIntercom.JSON.createObjectNode().put("type", "event.summary");
            ArrayNode events = body.putArray("events");
            for (int i = from; i < Math.min(from + 3, TOTAL); i++) {
                events.addObject().put("id", "r" + (i + 1));
            }
            ObjectNode pages = body.putObject("pages");
            if (from + 3 < TOTAL) {
                pages.put("next", intercom.baseUrl() + "/events?type=user&user_id=u1&from=" + (from + 3));
            } else {
                pages.putNull("next");
            }
            return Reply.json(body);
        });

        List<Page> pages = drain(Pagers.nextUrl(client, "/events", Map.of("type", "user", "user_id", "u1"),
                "events", null));
        List<Page> resumed = drain(Pagers.nextUrl(client, "/events", Map.of(), "events",
                pages.get(1).resumeCursor()));

        assertThat(ids(pages)).containsExactly("r1", "r2", "r3", "r4", "r5", "r6", "r7");
        assertThat(ids(resumed)).containsExactly("r7");
        assertThat(intercom.calls("/events").get(1).query()).containsEntry("user_id", "u1")
                .containsEntry("from", "3");
    }

    @Test
    void nextUrlRepeatedStopsInsteadOfLooping() {
        intercom.route("GET", "/events", call -> Reply.json("{\"events\":[{\"id\":\"e\"}],\"pages\":{\"next\":\""
                + intercom.baseUrl() + "/events?page=stuck\"}}"));
        Pager pager = Pagers.nextUrl(client, "/events", Map.of("type", "user"), "events", null);

        pager.next();
        assertThatThrownBy(pager::next).isInstanceOf(IntercomPaginationException.class)
                .hasMessageContaining("returned the same next URL twice");
        assertThat(intercom.calls("/events")).hasSize(2);
    }

    @Test
    void singleReturnsTheWholeListUnderItsField() {
        intercom.route("GET", "/admins", call -> Reply.json("{\"type\":\"admin.list\",\"admins\":"
                + "[{\"id\":\"a1\"},{\"id\":\"a2\"}]}"));

        List<Page> pages = drain(Pagers.single(client, "/admins", Map.of(), "admins"));

        assertThat(pages).singleElement().satisfies(page -> {
            assertThat(page.last()).isTrue();
            assertThat(page.resumeCursor()).isNull();
        });
        assertThat(ids(pages)).containsExactly("a1", "a2");
    }

    @Test
    void aMissingItemsFieldIsAnErrorNotAnEmptyList() {
        intercom.route("GET", "/teams", call -> Reply.json("{\"type\":\"team.list\",\"teams\":[]}"));

        assertThatThrownBy(() -> Pagers.single(client, "/teams", Map.of(), "data").next())
                .isInstanceOf(IntercomPaginationException.class).hasMessageContaining("no 'data' array");
    }

    /** Cursor pages over r1..r7; the cursor "Wz<n>" means "after the n-th record", like Intercom's opaque ones. */
    private static Reply cursorPage(String field, String startingAfter, int perPage) {
        int from = startingAfter == null ? 0 : Integer.parseInt(startingAfter.substring(2));
        ObjectNode body = FakeIntercom.JSON.createObjectNode().put("type", "list");
        ArrayNode data = body.putArray(field);
        int to = Math.min(from + perPage, TOTAL);
        for (int i = from; i < to; i++) {
            data.addObject().put("id", "r" + (i + 1));
        }
        body.put("total_count", TOTAL);
        ObjectNode pages = body.putObject("pages").put("type", "pages").put("per_page", perPage)
                .put("total_pages", (TOTAL + perPage - 1) / perPage);
        if (to < TOTAL) {
            pages.putObject("next").put("per_page", perPage).put("starting_after", "Wz" + to);
        }
        return Reply.json(body);
    }

    private Reply numberedPage(String field, int page, int perPage, boolean withTotalPages) {
        ObjectNode body = FakeIntercom.JSON.createObjectNode().put("type", "list");
        ArrayNode data = body.putArray(field);
        int from = (page - 1) * perPage;
        int to = Math.min(from + perPage, TOTAL);
        for (int i = from; i < to; i++) {
            data.addObject().put("id", "r" + (i + 1));
        }
        ObjectNode pages = body.putObject("pages").put("type", "pages").put("page", page).put("per_page", perPage);
        int totalPages = (TOTAL + perPage - 1) / perPage;
        if (withTotalPages) {
            pages.put("total_pages", totalPages);
        }
        if (page < totalPages) {
            pages.put("next", intercom.baseUrl() + "/x?page=" + (page + 1));
        } else {
            pages.putNull("next");
        }
        return Reply.json(body);
    }

    static List<Page> drain(Pager pager) {
        List<Page> pages = new ArrayList<>();
        while (pager.hasNext()) {
            pages.add(pager.next());
        }
        return pages;
    }

    static List<String> ids(List<Page> pages) {
        return pages.stream().flatMap(page -> page.items().stream()).map(item -> item.path("id").asText()).toList();
    }
}

package org.intercomhub.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.intercomhub.intercom.PagersTest.drain;
import static org.intercomhub.intercom.PagersTest.ids;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.intercomhub.intercom.FakeIntercom.Call;
import org.intercomhub.intercom.FakeIntercom.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code /companies/scroll} against a server with Intercom's one-open-scroll-per-app rule. */
class ScrollPagerTest {

    private static final int COMPANIES = 7;
    private static final int PAGE = 3;
    private static final String RESTART = "Request failed due to an internal network error. "
            + "Please restart the scroll operation.";

    private FakeIntercom intercom;
    private IntercomClient client;
    private final ScrollServer scrolls = new ScrollServer();

    @BeforeEach
    void start() throws Exception {
        intercom = new FakeIntercom();
        intercom.route("GET", "/companies/scroll", scrolls::answer);
        client = intercom.client();
    }

    @AfterEach
    void stop() {
        intercom.close();
    }

    @Test
    void scrollsEveryCompanyUntilAnEmptyPage() {
        List<Page> pages = drain(Pagers.scroll(client, "/companies/scroll", "data"));

        assertThat(ids(pages)).containsExactly("c1", "c2", "c3", "c4", "c5", "c6", "c7");
        assertThat(pages).extracting(Page::resumeCursor).containsOnlyNulls();
        assertThat(pages).extracting(Page::last).containsExactly(false, false, false, true);
        List<Call> calls = intercom.calls("/companies/scroll");
        assertThat(calls.get(0).query()).doesNotContainKey("scroll_param");
        assertThat(calls.get(1).query()).containsKey("scroll_param");
        assertThat(scrolls.open.get()).isZero();
    }

    @Test
    void restartsFromScratchWhenIntercomSaysSo() {
        scrolls.failOnce = call -> call.query().containsKey("scroll_param") && scrolls.position(call) == PAGE * 2;
        ScrollPager pager = new ScrollPager(client, "/companies/scroll", "data");

        List<Page> pages = drain(pager);

        assertThat(pager.restarts()).isEqualTo(1);
        assertThat(ids(pages)).containsExactly("c1", "c2", "c3", "c4", "c5", "c6", "c1", "c2", "c3", "c4", "c5",
                "c6", "c7");
        assertThat(scrolls.opened.get()).isEqualTo(2);
    }

    @Test
    void givesUpAfterTooManyRestarts() {
        scrolls.failAlways = call -> call.query().containsKey("scroll_param");
        ScrollPager pager = new ScrollPager(client, "/companies/scroll", "data", 2, Duration.ZERO,
                Duration.ofMillis(10));

        assertThatThrownBy(() -> drain(pager)).isInstanceOf(IntercomPaginationException.class)
                .hasMessageContaining("restart the scroll");
        assertThat(pager.restarts()).isEqualTo(3);
        assertThat(pager.hasNext()).isFalse();
    }

    @Test
    void followsTheSameScrollParamPageAfterPage() {
        List<Page> pages = drain(Pagers.scroll(client, "/companies/scroll", "data"));

        assertThat(ids(pages)).hasSize(COMPANIES).doesNotHaveDuplicates();
        List<String> params = intercom.calls("/companies/scroll").stream().skip(1)
                .map(call -> call.query().get("scroll_param")).toList();
        assertThat(params).hasSize(3).containsOnly(params.get(0));
    }

    @Test
    void aStuckScrollStopsWithinTwoRequestsNamingTheCause() {
        scrolls.stuck = true;
        Pager pager = Pagers.scroll(client, "/companies/scroll", "data");

        pager.next();
        assertThatThrownBy(pager::next).isInstanceOf(IntercomPaginationException.class)
                .hasMessageContaining("GET /companies/scroll served page 2 with 3 records that were all already read")
                .hasMessageContaining("stopping instead of looping");
        assertThat(intercom.calls("/companies/scroll")).hasSize(2);
        assertThat(pager.hasNext()).isFalse();
        // The permit was released: another scroll can start at once.
        scrolls.stuck = false;
        scrolls.open.set(0);
        assertThat(ids(drain(Pagers.scroll(client, "/companies/scroll", "data")))).hasSize(COMPANIES);
    }

    @Test
    void aStuckScrollIsCaughtEvenWhenItAlternatesBetweenPagesAlreadyServed() {
        // pages 1, 2, then 1 again: not the previous page, but nothing new
        scrolls.replay = call -> scrolls.served.get() == 2 ? 0 : -1;
        Pager pager = Pagers.scroll(client, "/companies/scroll", "data");

        pager.next();
        pager.next();
        assertThatThrownBy(pager::next).isInstanceOf(IntercomPaginationException.class)
                .hasMessageContaining("served page 3");
    }

    @Test
    void aStaticServerAnsweringEveryCallWithOneCompanyNeitherLoopsNorSucceeds() {
        intercom.route("GET", "/companies/scroll", call -> {
            ObjectNode body = FakeIntercom.JSON.createObjectNode().put("type", "list");
            body.putArray("data").addObject().put("type", "company").put("id", "only-one");
            body.putNull("pages");
            body.put("scroll_param", "static-param");
            return Reply.json(body);
        });

        assertThatThrownBy(() -> drain(Pagers.scroll(client, "/companies/scroll", "data")))
                .isInstanceOf(IntercomPaginationException.class).hasMessageContaining("repeating pages");
        assertThat(intercom.calls("/companies/scroll")).hasSize(2);
    }

    @Test
    void aSecondConcurrentScrollWaitsForTheFirst() throws Exception {
        scrolls.pageDelayMillis = 100; // long enough for the two scrolls to overlap if nothing prevented it
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // No busy-waiting allowed: a second open scroll would fail at once instead of being hidden by retries.
            Future<List<Page>> first = pool.submit(() -> drain(new ScrollPager(client, "/companies/scroll", "data",
                    0, Duration.ZERO, Duration.ofMillis(10))));
            Future<List<Page>> second = pool.submit(() -> drain(new ScrollPager(intercom.client(),
                    "/companies/scroll", "data", 0, Duration.ZERO, Duration.ofMillis(10))));

            assertThat(ids(first.get(30, TimeUnit.SECONDS))).hasSize(COMPANIES);
            assertThat(ids(second.get(30, TimeUnit.SECONDS))).hasSize(COMPANIES);
        } finally {
            pool.shutdownNow();
        }
        assertThat(scrolls.maxOpen.get()).isEqualTo(1);
        assertThat(scrolls.refusedAsBusy.get()).isZero();
        assertThat(scrolls.opened.get()).isEqualTo(2);
    }

    @Test
    void waitsWhileAnotherAppUserHoldsTheScroll() {
        AtomicInteger busyAnswers = new AtomicInteger(2);
        scrolls.busyWhile = call -> busyAnswers.getAndDecrement() > 0;
        ScrollPager pager = new ScrollPager(client, "/companies/scroll", "data", 3, Duration.ofSeconds(5),
                Duration.ofMillis(20));

        assertThat(ids(drain(pager))).hasSize(COMPANIES);
        assertThat(scrolls.refusedAsBusy.get()).isEqualTo(2);
    }

    @Test
    void failsWhenTheScrollStaysBusyBeyondTheWait() {
        scrolls.busyWhile = call -> true;
        ScrollPager pager = new ScrollPager(client, "/companies/scroll", "data", 3, Duration.ofMillis(200),
                Duration.ofMillis(50));

        assertThatThrownBy(pager::next).isInstanceOfSatisfying(IntercomApiException.class,
                error -> assertThat(error.status()).isEqualTo(400));
        assertThat(scrolls.refusedAsBusy.get()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void closingAnUnfinishedScrollReleasesThePermit() throws Exception {
        Pager abandoned = Pagers.scroll(client, "/companies/scroll", "data");
        abandoned.next();
        abandoned.close();
        scrolls.open.set(0); // the server-side scroll would expire after a minute

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<Page>> next = pool.submit(() -> drain(Pagers.scroll(client, "/companies/scroll", "data")));
            assertThat(ids(next.get(10, TimeUnit.SECONDS))).hasSize(COMPANIES);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Serves c1..c7 three at a time through one scroll_param per scroll, as Intercom does, and refuses a second open
     * scroll. {@code stuck} serves the previous page again; {@code replay} serves the page at the offset it gives.
     */
    private static final class ScrollServer {
        final Map<String, Integer> positions = new ConcurrentHashMap<>();
        final AtomicInteger served = new AtomicInteger();
        volatile java.util.function.ToIntFunction<Call> replay = call -> -1;
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger refusedAsBusy = new AtomicInteger();
        volatile Predicate<Call> failOnce = call -> false;
        volatile Predicate<Call> failAlways = call -> false;
        volatile Predicate<Call> busyWhile = call -> false;
        volatile boolean stuck;
        volatile long pageDelayMillis;

        int position(Call call) {
            return positions.getOrDefault(call.query().get("scroll_param"), -1);
        }

        synchronized Reply answer(Call call) {
            IntercomClientTest.sleep(pageDelayMillis);
            String param = call.query().get("scroll_param");
            if (failAlways.test(call)) {
                open.set(0);
                return Reply.error(500, "server_error", RESTART);
            }
            if (failOnce.test(call)) {
                failOnce = c -> false;
                open.set(0);
                return Reply.error(500, "server_error", RESTART);
            }
            int from;
            String scroll = param;
            if (param == null) {
                if (busyWhile.test(call) || open.get() > 0) {
                    refusedAsBusy.incrementAndGet();
                    return Reply.error(400, "scroll_exists", "scroll already exists for this app");
                }
                opened.incrementAndGet();
                maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                scroll = UUID.randomUUID().toString();
                from = 0;
            } else {
                Integer known = positions.get(param);
                if (known == null) {
                    return Reply.error(404, "not_found", "scroll_param not found");
                }
                from = known;
                if (stuck) {
                    from = Math.max(0, known - PAGE);
                }
                int replayed = replay.applyAsInt(call);
                if (replayed >= 0) {
                    from = replayed;
                }
            }
            served.incrementAndGet();
            ObjectNode body = FakeIntercom.JSON.createObjectNode().put("type", "list");
            ArrayNode data = body.putArray("data");
            int to = Math.min(from + PAGE, COMPANIES);
            for (int i = from; i < to; i++) {
                data.addObject().put("type", "company").put("id", "c" + (i + 1));
            }
            body.putNull("pages");
            body.putNull("total_count");
            if (from >= COMPANIES) {
                open.decrementAndGet(); // end of the scroll: it expires
                body.putNull("scroll_param");
                return Reply.json(body);
            }
            positions.put(scroll, to);
            body.put("scroll_param", scroll);
            return Reply.json(body);
        }
    }
}

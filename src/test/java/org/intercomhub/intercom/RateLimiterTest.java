package org.intercomhub.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.intercomhub.intercom.FakeIntercom.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pacing against a server that enforces a budget per window like Intercom. Windows are 2 s here instead of 10 s to
 * keep the tests short; the limiter only relies on the headers.
 */
class RateLimiterTest {

    private static final Duration WINDOW = Duration.ofSeconds(2);

    private FakeIntercom intercom;

    @BeforeEach
    void start() throws Exception {
        intercom = new FakeIntercom();
        intercom.route("GET", "/tags", call -> Reply.json("{\"type\":\"list\",\"data\":[]}"));
    }

    @AfterEach
    void stop() {
        intercom.close();
    }

    @Test
    void usesTheWholeBudgetAndWaitsForTheResetInsteadOfMeetingA429() {
        intercom.rateLimit(20, WINDOW);
        RateLimiter limiter = new RateLimiter();
        IntercomClient client = new IntercomClient(intercom.settings().build(), limiter);

        for (int i = 0; i < 50; i++) {
            client.get("/tags", Map.of());
        }

        assertThat(intercom.served429()).isZero();
        assertThat(intercom.servedOk()).isEqualTo(50);
        assertThat(limiter.throttledCount()).isZero();
        assertThat(limiter.waitedMillis()).isPositive();
        assertThat(limiter.limit()).isEqualTo(20);
        // Full use of the budget: 50 requests fit in 3 windows, so no window was left mostly idle.
        assertThat(intercom.admittedPerWindow()).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void concurrentPullsSharingOneLimiterDoNotOvershoot() throws Exception {
        intercom.rateLimit(20, WINDOW);
        RateLimiter limiter = new RateLimiter();
        IntercomClient client = new IntercomClient(intercom.settings().build(), limiter);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> pulls = new ArrayList<>();
            for (int thread = 0; thread < 6; thread++) {
                pulls.add(pool.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        client.get("/tags", Map.of());
                    }
                }));
            }
            for (Future<?> pull : pulls) {
                pull.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(intercom.served429()).isZero();
        assertThat(intercom.servedOk()).isEqualTo(60);
        assertThat(limiter.waitedMillis()).isPositive();
    }

    @Test
    void leavesTheReservedShareOfEachWindowToOtherApps() {
        intercom.rateLimit(20, WINDOW);
        RateLimiter limiter = new RateLimiter(0.25); // ceil(20 * 0.25) = 5 kept free
        IntercomClient client = new IntercomClient(intercom.settings().rateLimitReserve(0.25).build(), limiter);

        for (int i = 0; i < 40; i++) {
            client.get("/tags", Map.of());
        }

        assertThat(intercom.served429()).isZero();
        assertThat(intercom.servedOk()).isEqualTo(40);
        assertThat(intercom.admittedPerWindow().values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(15));
        assertThat(intercom.admittedPerWindow().values()).contains(15);
    }

    @Test
    void a429WaitsUntilTheResetAndRetries() {
        AtomicInteger attempts = new AtomicInteger();
        long[] resetSeconds = new long[1];
        intercom.route("GET", "/admins", call -> {
            if (attempts.incrementAndGet() == 1) {
                resetSeconds[0] = call.receivedAtMillis() / 1000 + 1;
                return Reply.error(429, "rate_limit_exceeded", "Exceeded rate limit of 167 in 10_seconds")
                        .withHeader("X-RateLimit-Limit", "167")
                        .withHeader("X-RateLimit-Remaining", "0")
                        .withHeader("X-RateLimit-Reset", Long.toString(resetSeconds[0]));
            }
            return Reply.json("{\"type\":\"admin.list\",\"admins\":[]}");
        });
        RateLimiter limiter = new RateLimiter();
        IntercomClient client = new IntercomClient(intercom.settings().maxRetries(0).build(), limiter);

        assertThat(client.get("/admins", Map.of()).path("type").asText()).isEqualTo("admin.list");

        List<FakeIntercom.Call> calls = intercom.calls("/admins");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).receivedAtMillis()).isGreaterThanOrEqualTo(resetSeconds[0] * 1000);
        assertThat(limiter.throttledCount()).isEqualTo(1);
        assertThat(client.retryCount()).isZero(); // a 429 is not a failed attempt, even with maxRetries 0
    }

    @Test
    void a429WithoutHeadersPausesThenRetriesAndIsBounded() {
        intercom.route("GET", "/admins", call -> Reply.error(429, "rate_limit_exceeded", "slow down"));
        RateLimiter limiter = new RateLimiter(0, Duration.ofMillis(50), Duration.ofMillis(300));
        IntercomClient client = new IntercomClient(intercom.settings().maxRateLimitRetries(2).build(), limiter);

        assertThatThrownBy(() -> client.get("/admins", Map.of()))
                .isInstanceOfSatisfying(IntercomApiException.class, error -> {
                    assertThat(error.status()).isEqualTo(429);
                    assertThat(error.getMessage()).contains("still rate limited after 3 waits");
                });

        List<FakeIntercom.Call> calls = intercom.calls("/admins");
        assertThat(calls).hasSize(3);
        assertThat(calls.get(1).receivedAtMillis() - calls.get(0).receivedAtMillis()).isGreaterThanOrEqualTo(250);
        assertThat(limiter.throttledCount()).isEqualTo(3);
    }

    @Test
    void reportsUnknownBudgetUntilTheFirstHeaders() {
        RateLimiter limiter = new RateLimiter();
        assertThat(limiter.limit()).isEqualTo(-1);
        assertThat(limiter.budgetRemaining()).isEqualTo(-1);

        intercom.rateLimit(20, Duration.ofSeconds(10));
        new IntercomClient(intercom.settings().build(), limiter).get("/tags", Map.of());

        assertThat(limiter.limit()).isEqualTo(20);
        assertThat(limiter.budgetRemaining()).isBetween(1, 19);
    }
}

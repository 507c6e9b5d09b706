package org.intercomhub.intercom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.intercomhub.intercom.FakeIntercom.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntercomClientTest {

    private FakeIntercom intercom;

    @BeforeEach
    void start() throws Exception {
        intercom = new FakeIntercom();
    }

    @AfterEach
    void stop() {
        intercom.close();
    }

    @Test
    void sendsAuthVersionAndJsonHeaders() {
        intercom.route("GET", "/me", call -> Reply.json("{\"type\":\"admin\",\"id\":\"1\"}"));
        intercom.route("POST", "/contacts/search", call -> Reply.json("{\"type\":\"list\",\"data\":[]}"));
        IntercomClient client = new IntercomClient(intercom.settings().version("2.15").build(), new RateLimiter());

        JsonNode me = client.get("/me", Map.of());
        ObjectNode query = FakeIntercom.JSON.createObjectNode().put("field", "role").put("operator", "=")
                .put("value", "user");
        client.post("/contacts/search", FakeIntercom.JSON.createObjectNode().set("query", query));

        assertThat(me.path("id").asText()).isEqualTo("1");
        FakeIntercom.Call get = intercom.calls("/me").get(0);
        assertThat(get.header("Authorization")).isEqualTo("Bearer tok_test_secret");
        assertThat(get.header("Accept")).isEqualTo("application/json");
        assertThat(get.header("Intercom-Version")).isEqualTo("2.15");
        FakeIntercom.Call post = intercom.calls("/contacts/search").get(0);
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(post.header("Authorization")).isEqualTo("Bearer tok_test_secret");
        assertThat(post.body().path("query").path("value").asText()).isEqualTo("user");
        assertThat(client.requestCount()).isEqualTo(2);
    }

    @Test
    void encodesQueryParametersAndFollowsAbsoluteUrlsOnTheSameHost() {
        intercom.route("GET", "/events", call -> Reply.json("{\"events\":[],\"q\":" + FakeIntercom.JSON
                .valueToTree(call.query()) + "}"));
        IntercomClient client = intercom.client();

        JsonNode first = client.get("/events", Map.of("type", "user", "email", "a+b@example.com"));
        JsonNode next = client.get(intercom.baseUrl() + "/events?type=user&page=abc%20def", Map.of());

        assertThat(first.path("q").path("email").asText()).isEqualTo("a+b@example.com");
        assertThat(next.path("q").path("page").asText()).isEqualTo("abc def");
        assertThatThrownBy(() -> client.get("https://evil.example.com/events", Map.of()))
                .isInstanceOf(IntercomPaginationException.class).hasMessageContaining("evil.example.com");
    }

    @Test
    void retriesServerErrorsThenSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        intercom.route("GET", "/tags", call -> attempts.incrementAndGet() <= 2
                ? Reply.error(503, "service_unavailable", "Sorry, the API service is temporarily unavailable")
                : Reply.json("{\"type\":\"list\",\"data\":[{\"id\":\"7\"}]}"));
        IntercomClient client = intercom.client();

        JsonNode tags = client.get("/tags", Map.of());

        assertThat(tags.path("data").get(0).path("id").asText()).isEqualTo("7");
        assertThat(intercom.calls("/tags")).hasSize(3);
        assertThat(client.retryCount()).isEqualTo(2);
    }

    /** A success whose body is not JSON is a failure of its own, not a broken connection to try again. */
    @Test
    void aSuccessThatIsNotJsonFailsWithoutRetrying() {
        intercom.route("GET", "/me", call -> Reply.raw(200, "<html>maintenance</html>"));
        intercom.route("GET", "/teams", call -> Reply.raw(200, ""));
        IntercomClient client = intercom.client();

        assertThatThrownBy(() -> client.get("/me", Map.of()))
                .isInstanceOf(IntercomException.class).hasMessageContaining("not JSON");
        assertThat(intercom.calls("/me")).hasSize(1);
        assertThat(client.retryCount()).isZero();
        assertThat(client.get("/teams", Map.of()).isNull()).isTrue();
    }

    @Test
    void retriesDroppedConnections() {
        AtomicInteger attempts = new AtomicInteger();
        intercom.route("GET", "/admins", call -> attempts.incrementAndGet() <= 4
                ? Reply.drop()
                : Reply.json("{\"type\":\"admin.list\",\"admins\":[]}"));
        IntercomClient client = intercom.client();

        JsonNode admins = client.get("/admins", Map.of());

        assertThat(admins.path("type").asText()).isEqualTo("admin.list");
        // java.net.http quietly repeats a GET once when the connection drops; the rest are our retries.
        assertThat(intercom.calls("/admins")).hasSize(5);
        assertThat(client.retryCount()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void retriesATimeout() {
        AtomicInteger attempts = new AtomicInteger();
        intercom.route("GET", "/teams", call -> {
            if (attempts.incrementAndGet() == 1) {
                sleep(1500);
            }
            return Reply.json("{\"type\":\"team.list\",\"teams\":[]}");
        });
        IntercomClient client = new IntercomClient(
                intercom.settings().responseTimeout(Duration.ofMillis(500)).build(), new RateLimiter());

        assertThat(client.get("/teams", Map.of()).path("type").asText()).isEqualTo("team.list");
        assertThat(client.retryCount()).isEqualTo(1);
    }

    @Test
    void givesUpAfterMaxRetriesWithUnavailable() {
        intercom.route("GET", "/tags", call -> Reply.raw(502, "<html>Bad Gateway</html>"));
        IntercomClient client = new IntercomClient(intercom.settings().maxRetries(2).build(), new RateLimiter());

        assertThatThrownBy(() -> client.get("/tags", Map.of()))
                .isInstanceOf(IntercomUnavailableException.class)
                .hasMessageContaining("failed after 3 attempts")
                .hasMessageContaining("502");
        assertThat(intercom.calls("/tags")).hasSize(3);
    }

    @Test
    void unauthorizedNamesTheTokenSetting() {
        intercom.route("GET", "/contacts", call -> Reply.error(401, "unauthorized", "Access Token Invalid"));

        assertThatThrownBy(() -> intercom.client().get("/contacts", Map.of()))
                .isInstanceOf(IntercomAccessDeniedException.class)
                .hasMessageContaining("access token invalid or revoked (check INTERCOM_ACCESS_TOKEN)")
                .hasMessageNotContaining("tok_test_secret");
        assertThat(intercom.calls("/contacts")).hasSize(1); // no retry of a 401
    }

    @Test
    void forbiddenUsesRequiredPermissionsFromTheBody() {
        intercom.route("GET", "/conversations", call -> Reply.raw(403, """
                {"type":"error.list","request_id":"r-1","errors":[{"code":"action_forbidden",
                 "message":"Missing permissions","data":{"required_permissions":["Read conversations",
                 "Read one user and one company"]}}]}"""));

        assertThatThrownBy(() -> intercom.client().get("/conversations", Map.of()))
                .isInstanceOfSatisfying(IntercomAccessDeniedException.class, denied -> {
                    assertThat(denied.status()).isEqualTo(403);
                    assertThat(denied.missingPermission())
                            .isEqualTo("Read conversations, Read one user and one company");
                    assertThat(denied.requestId()).isEqualTo("r-1");
                    assertThat(denied.getMessage()).contains("Read one user and one company")
                            .doesNotContain("inferred");
                });
    }

    @Test
    void forbiddenWithoutDetailsInfersThePermissionFromThePath() {
        intercom.route("GET", "/admins/activity_logs", call -> Reply.error(403, "api_plan_restricted",
                "Active subscription needed."));
        intercom.route("GET", "/tickets/123", call -> Reply.error(403, "action_forbidden", "Forbidden"));

        assertThatThrownBy(() -> intercom.client().get("/admins/activity_logs", Map.of("created_at_after", "1")))
                .isInstanceOf(IntercomAccessDeniedException.class)
                .hasMessageContaining("\"Read admins activity logs\"")
                .hasMessageContaining("inferred")
                .hasMessageContaining("Active subscription needed.");
        assertThatThrownBy(() -> intercom.client().get("/tickets/123", Map.of()))
                .hasMessageContaining("\"Read tickets\"");
    }

    @Test
    void otherClientErrorsCarryTheEnvelope() {
        intercom.route("POST", "/contacts/search", call -> Reply.error(400, "invalid_sort_order",
                "Sort order must be ascending or descending"));

        assertThatThrownBy(() -> intercom.client().post("/contacts/search", FakeIntercom.JSON.createObjectNode()))
                .isInstanceOfSatisfying(IntercomApiException.class, error -> {
                    assertThat(error).isNotInstanceOf(IntercomAccessDeniedException.class);
                    assertThat(error.status()).isEqualTo(400);
                    assertThat(error.code()).isEqualTo("invalid_sort_order");
                    assertThat(error.apiMessage()).isEqualTo("Sort order must be ascending or descending");
                    assertThat(error.requestId()).isEqualTo("req-400");
                });
        assertThat(intercom.calls("/contacts/search")).hasSize(1);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.intercomhub.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.intercomhub.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gate itself, with requests whose remote address a test chooses (a real client on this machine is always
 * loopback; AdminApiTest and AdminLoopbackModeTest call the running hub over HTTP).
 */
class AdminAccessFilterTest {

    static final String FIRST = "first-admin-token-0123456789";
    static final String SECOND = "second-admin-token-0123456789";

    @Test
    void withoutTokensANonLoopbackCallerIsRefusedAndNothingRuns() throws Exception {
        for (String remote : List.of("10.1.2.3", "192.168.0.7", "203.0.113.9", "2001:db8::1", "::ffff:10.0.0.1")) {
            Outcome outcome = call(AdminTokens.of(), "GET", "/sync/status", remote, null);
            assertThat(outcome.reached()).as(remote).isFalse();
            assertThat(outcome.response().getStatus()).as(remote).isEqualTo(401);
            assertThat(outcome.response().getContentType()).startsWith("application/json");
            assertThat(new ObjectMapper().readTree(outcome.response().getContentAsString()).path("message").asText())
                    .contains("loopback callers only").contains("HUB_ADMIN_TOKENS");
        }
    }

    @Test
    void withoutTokensALoopbackCallerIsAnAdmin() {
        for (String remote : List.of("127.0.0.1", "127.45.6.7", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1")) {
            Outcome outcome = call(AdminTokens.of(), "POST", "/dead-letters/replay", remote, null);
            assertThat(outcome.reached()).as(remote).isTrue();
            assertThat(outcome.principal()).as(remote).isEqualTo("admin");
        }
    }

    @Test
    void withoutTokensACallForwardedByAProxyOnThisMachineIsNotLoopback() {
        for (String header : List.of("X-Forwarded-For", "Forwarded", "X-Real-IP")) {
            MockHttpServletRequest request = request("GET", "/dead-letters", "127.0.0.1");
            request.addHeader(header, "203.0.113.9");
            Outcome outcome = call(AdminTokens.of(), request);
            assertThat(outcome.reached()).as(header).isFalse();
            assertThat(outcome.response().getStatus()).isEqualTo(401);
        }
    }

    @Test
    void namesAreNeverResolved() {
        assertThat(AdminAccessFilter.isLoopback("localhost")).isFalse();
        assertThat(AdminAccessFilter.isLoopback("cafe")).isFalse();
        assertThat(AdminAccessFilter.isLoopback(null)).isFalse();
        assertThat(AdminAccessFilter.isLoopback("127.0.0.1")).isTrue();
    }

    @Test
    void withTokensEveryCallerNeedsOneOfThemLoopbackToo() throws Exception {
        AdminTokens tokens = AdminTokens.of(FIRST, SECOND);
        for (String remote : List.of("127.0.0.1", "10.1.2.3")) {
            Outcome missing = call(tokens, "GET", "/sync/status", remote, null);
            assertThat(missing.reached()).isFalse();
            assertThat(missing.response().getStatus()).isEqualTo(401);
            assertThat(missing.response().getHeader("WWW-Authenticate")).startsWith("Bearer");
            assertThat(missing.response().getContentAsString()).contains("admin token required");

            Outcome wrong = call(tokens, "GET", "/sync/status", remote, "Bearer " + FIRST + "x");
            assertThat(wrong.reached()).isFalse();
            assertThat(wrong.response().getStatus()).isEqualTo(401);
            assertThat(wrong.response().getContentAsString()).contains("not accepted").doesNotContain(FIRST);

            assertThat(call(tokens, "GET", "/sync/status", remote, "Basic " + FIRST).reached()).isFalse();
            assertThat(call(tokens, "GET", "/sync/status", remote, "Bearer ").reached()).isFalse();

            assertThat(call(tokens, "GET", "/sync/status", remote, "Bearer " + FIRST).principal()).isEqualTo("admin");
            assertThat(call(tokens, "GET", "/sync/status", remote, "bearer " + SECOND).principal())
                    .isEqualTo("admin");
        }
    }

    @Test
    void openPathsPassWithoutATokenAndWithoutAPrincipal() {
        AdminTokens tokens = AdminTokens.of(FIRST);
        for (String path : AdminAccessFilter.OPEN_PATHS) {
            Outcome anonymous = call(tokens, "GET", path, "10.1.2.3", null);
            assertThat(anonymous.reached()).as(path).isTrue();
            assertThat(anonymous.principal()).as(path).isNull();
            assertThat(call(tokens, "GET", path, "10.1.2.3", "Bearer " + FIRST).principal()).isEqualTo("admin");
        }
        // exact paths only: everything under or beside them is admin
        for (String path : List.of("/actuator", "/actuator/prometheus", "/actuator/health/db", "/actuator/env",
                "/webhooks/intercom/x", "/webhooks", "/error", "/index.htm", "/status.js/x", "/static/status.js",
                "/favicon.ico")) {
            assertThat(call(tokens, "GET", path, "10.1.2.3", null).reached()).as(path).isFalse();
        }
    }

    @Test
    void shortTokensAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> new AdminProperties(List.of(FIRST, "short-secret")).toTokens())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("token 2 of 2").hasMessageNotContaining("short-secret");
        assertThat(new AdminProperties(List.of(" ", FIRST + " ", "")).tokens()).containsExactly(FIRST);
        assertThat(new AdminProperties(List.of(FIRST)).toString()).doesNotContain(FIRST);
    }

    record Outcome(MockHttpServletResponse response, boolean reached, String principal) {
    }

    private static Outcome call(AdminTokens tokens, String method, String path, String remote, String authorization) {
        MockHttpServletRequest request = request(method, path, remote);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return call(tokens, request);
    }

    private static MockHttpServletRequest request(String method, String path, String remote) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setServletPath(path);
        request.setRemoteAddr(remote);
        return request;
    }

    private static Outcome call(AdminTokens tokens, MockHttpServletRequest request) {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        try {
            new AdminAccessFilter(tokens, new ObjectMapper()).doFilter(request, response, chain);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        boolean reached = chain.getRequest() != null;
        String principal = reached && ((jakarta.servlet.http.HttpServletRequest) chain.getRequest())
                .getUserPrincipal() != null
                ? ((jakarta.servlet.http.HttpServletRequest) chain.getRequest()).getUserPrincipal().getName() : null;
        return new Outcome(response, reached, principal);
    }
}

package org.intercomhub.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admin gate: every HTTP request to the hub passes here, and only the paths in {@link #OPEN_PATHS} are answered
 * without an admin. Everything else (routes/sync-api.camel.yaml, routes/dead-letters.camel.yaml, actuator endpoints
 * other than the health probes, any route or endpoint added later) needs {@code Authorization: Bearer <token>} with
 * one of {@code admin.tokens} (HUB_ADMIN_TOKENS); otherwise it is answered 401 with a JSON error before the route
 * runs, so nothing is done or shown. With no token configured, admin calls are answered for loopback callers only.
 *
 * <p>Why a servlet filter on every path rather than a Camel route policy: platform-http routes and the actuator
 * endpoints are all served by the same Spring MVC servlet, so one filter covers both (a Camel policy would not see
 * actuator), and it denies by default: a new route is protected without anyone remembering to attach anything to
 * it. Forgetting to open a path fails closed (401), forgetting to protect one cannot happen.
 *
 * <p>An open path that has its own credentials (the webhook's HMAC; a future tracking API's write keys) is added to
 * {@link #OPEN_PATHS} by the change that adds it. An admin caller reaches open paths too, as an authenticated
 * principal: Spring Boot's {@code show-details: when-authorized} then shows the health components to admins only,
 * without Spring Security.
 */
public final class AdminAccessFilter extends OncePerRequestFilter {

    /**
     * Answered without the admin token. Exact paths as the servlet container decoded and normalised them (the same
     * path Spring MVC routes by).
     */
    public static final Set<String> OPEN_PATHS = Set.of(
            // Intercom's notifications: signed with the app's client secret (WebhookSignatures)
            "/webhooks/intercom",
            // the tracking API (Segment's contract): authenticated by its write keys (TrackingRequests)
            "/v1/identify", "/v1/group", "/v1/track", "/v1/page", "/v1/batch", "/v1/import", "/v1/import/",
            // probes for load balancers and Kubernetes: status only; components for an admin
            "/actuator/health",
            "/actuator/health/liveness",
            "/actuator/health/readiness",
            // the status page's own files (src/main/resources/static; "/" serves index.html): no data in them, every
            // figure on the page comes from admin calls the page makes with the admin token
            "/",
            "/index.html",
            "/status.js",
            "/status.css");

    /**
     * Request headers that carry credentials and mean nothing in an answer. Camel's platform-http copies the request's
     * headers into the answer's (they are the exchange's message headers), so a route would echo the caller's admin
     * token back; they are dropped here, for every route at once.
     */
    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "x-hub-signature");
    /** A proxy in front of the hub adds one of these; a forwarded call is not a loopback caller. */
    private static final Set<String> FORWARDING_HEADERS = Set.of("forwarded", "x-forwarded-for", "x-real-ip");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Logger log = LoggerFactory.getLogger(AdminAccessFilter.class);

    private final AdminTokens tokens;
    private final ObjectMapper json;

    public AdminAccessFilter(AdminTokens tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = refusal(request);
        response = new NoCredentialsResponse(response);
        if (refusal == null) {
            chain.doFilter(new AdminRequest(request), response);
        } else if (OPEN_PATHS.contains(pathOf(request))) {
            chain.doFilter(request, response);
        } else {
            log.debug("Admin call refused: {} {}: {}", request.getMethod(), pathOf(request), refusal);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"intercom-hub\"");
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getOutputStream().write(json.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(Map.of("error", "unauthorized", "message", refusal)));
        }
    }

    /** Why this caller is not an admin; null when it is. Never repeats what the caller sent. */
    String refusal(HttpServletRequest request) {
        if (tokens.none()) {
            if (!isLoopback(request.getRemoteAddr())) {
                return "admin calls are answered for loopback callers only until HUB_ADMIN_TOKENS is set";
            }
            for (String header : FORWARDING_HEADERS) {
                if (request.getHeader(header) != null) {
                    return "admin calls are answered for loopback callers only until HUB_ADMIN_TOKENS is set; a call"
                            + " forwarded by a proxy is not one";
                }
            }
            return null;
        }
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "admin token required: send Authorization: Bearer <token> with one of HUB_ADMIN_TOKENS";
        }
        if (!tokens.matches(authorization.substring(7).strip())) {
            return "admin token not accepted: it is not one of HUB_ADMIN_TOKENS";
        }
        return null;
    }

    static String pathOf(HttpServletRequest request) {
        String pathInfo = request.getPathInfo();
        return request.getServletPath() + (pathInfo == null ? "" : pathInfo);
    }

    /** 127.0.0.0/8 or ::1 (also as ::ffff:127.x.y.z). Only IP literals are parsed: a name is never resolved. */
    static boolean isLoopback(String address) {
        if (address == null || !(IPV4.matcher(address).matches() || address.indexOf(':') >= 0)) {
            return false;
        }
        try {
            return InetAddress.getByName(address.toLowerCase(Locale.ROOT)).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** An answer that never carries the caller's credentials back ({@link #CREDENTIAL_HEADERS}). */
    static final class NoCredentialsResponse extends HttpServletResponseWrapper {

        NoCredentialsResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setHeader(String name, String value) {
            if (!isCredential(name)) {
                super.setHeader(name, value);
            }
        }

        @Override
        public void addHeader(String name, String value) {
            if (!isCredential(name)) {
                super.addHeader(name, value);
            }
        }

        private static boolean isCredential(String name) {
            return name != null && CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT));
        }
    }

    /** The request of an admin: an authenticated principal, for {@code show-details: when-authorized}. */
    static final class AdminRequest extends HttpServletRequestWrapper {

        static final Principal ADMIN = () -> "admin";

        AdminRequest(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return ADMIN;
        }

        @Override
        public String getRemoteUser() {
            return ADMIN.getName();
        }
    }
}

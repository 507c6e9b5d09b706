package org.intercomhub.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sandbox over HTTP on the loopback interface (plain JDK HttpServer, 8 worker threads). Each API request
 * passes, in order: statistics, injected latency, dropped connection, injected 5xx, bearer auth (401 without
 * rate-limit headers), the rate-limit window (429 over budget, X-RateLimit-* headers on every authenticated
 * answer), then the endpoint. Paths under /sandbox/ are control endpoints: no auth, no faults, no rate limit.
 */
public final class SandboxServer implements AutoCloseable {

    private static final int THREADS = 8;

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
        // about 40 ms per request on loopback instead of well under one.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final SandboxConfig config;
    private final SandboxWorkspace workspace;
    private final SandboxFaults faults = new SandboxFaults();
    private final CompanyScroll scroll = new CompanyScroll();
    private final SandboxStats stats;
    private final RateLimitWindow rateLimit;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;
    private final ContactEndpoints contacts;
    private final CompanyEndpoints companies;
    private final ConversationEndpoints conversations;
    private final ReferenceEndpoints reference;
    private final EventEndpoints events;

    private SandboxServer(SandboxConfig config) throws IOException {
        this.config = config;
        this.workspace = new SandboxWorkspace(config);
        this.stats = new SandboxStats(() -> scroll.openCount(workspace.clock().millis()));
        this.rateLimit = new RateLimitWindow(config.rateLimitPer10s(), workspace::clock);
        this.contacts = new ContactEndpoints(workspace);
        this.companies = new CompanyEndpoints(workspace, scroll, faults);
        this.conversations = new ConversationEndpoints(workspace);
        this.reference = new ReferenceEndpoints(workspace);
        this.events = new EventEndpoints(workspace);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.server = HttpServer.create(new InetSocketAddress(loopback, config.port()), 256);
        AtomicInteger threadNumber = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "intercom-sandbox-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        this.baseUrl = "http://" + loopback.getHostAddress() + ":" + server.getAddress().getPort();
    }

    /** Generates the workspace and starts serving; close() stops it. */
    public static SandboxServer start(SandboxConfig config) {
        try {
            SandboxServer s = new SandboxServer(config);
            s.server.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Intercom sandbox on port " + config.port(), e);
        }
    }

    public String baseUrl() { return baseUrl; }
    public int port() { return server.getAddress().getPort(); }
    public SandboxConfig config() { return config; }
    public SandboxWorkspace workspace() { return workspace; }
    public SandboxFaults faults() { return faults; }
    public SandboxStats stats() { return stats; }

    /** Changes the budget per 10-second window at runtime (0 = unlimited). */
    public void setRateLimitPer10s(int limit) { rateLimit.setLimit(limit); }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ request pipeline

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            SandboxRequest req = new SandboxRequest(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), body, baseUrl);
            if (path.startsWith("/sandbox/")) {
                send(ex, safely(() -> control(req)));
                return;
            }
            stats.recordRequest(req.method(), req.path());
            long latency = faults.latency();
            if (latency > 0) {
                sleep(latency);
            }
            if (faults.consumeDrop()) {
                // Closing the exchange before any response headers closes the raw connection.
                return;
            }
            int injected = faults.consumeFailure(req.path());
            if (injected != 0) {
                send(ex, SandboxResponse.error(injected, injected == 500 ? "server_error" : "service_unavailable",
                        "Injected failure: the sandbox answers " + injected));
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.equals("Bearer " + config.accessToken())) {
                send(ex, SandboxResponse.error(401, "unauthorized", "Access Token Invalid"));
                return;
            }
            if (faults.forbidden(req.path())) {
                send(ex, SandboxResponse.error(403, "action_forbidden",
                        "The access token lacks a permission this endpoint needs"));
                return;
            }
            int gone = faults.goneStatus(req.path());
            if (gone != 0) {
                send(ex, gone == 410 ? SandboxResponse.error(410, "contact_merged", "Contact has been merged")
                        : SandboxResponse.error(404, "not_found", "User Not Found"));
                return;
            }
            RateLimitWindow.Decision decision = rateLimit.acquire();
            ex.getResponseHeaders().set("X-RateLimit-Limit", Integer.toString(decision.limit()));
            ex.getResponseHeaders().set("X-RateLimit-Remaining", Integer.toString(decision.remaining()));
            ex.getResponseHeaders().set("X-RateLimit-Reset", Long.toString(decision.resetEpochSecond()));
            if (!decision.allowed()) {
                send(ex, SandboxResponse.error(429, "rate_limit_exceeded",
                        "Exceeded rate limit of " + decision.limit() + " in 10_seconds"));
                return;
            }
            if (!config.latency().isZero()) {
                try {
                    Thread.sleep(config.latency().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            send(ex, safely(() -> api(req)));
        }
    }

    private interface Handler {
        SandboxResponse handle();
    }

    private static SandboxResponse safely(Handler h) {
        try {
            SandboxResponse r = h.handle();
            return r != null ? r : SandboxResponse.error(404, "not_found", "Resource Not Found");
        } catch (ApiException e) {
            return SandboxResponse.error(e.status(), e.code(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return SandboxResponse.error(400, "parameter_invalid", e.getMessage());
        } catch (RuntimeException e) {
            return SandboxResponse.error(500, "server_error", "Sandbox failure: " + e);
        }
    }

    private SandboxResponse api(SandboxRequest req) {
        String[] seg = req.path().substring(1).split("/");
        switch (seg[0]) {
            case "contacts": return contacts.route(req, seg);
            case "companies": return companies.route(req, seg);
            case "conversations": return conversations.routeConversations(req, seg);
            case "tickets": return conversations.routeTickets(req, seg);
            case "events": return events.route(req, seg);
            default: break;
        }
        if (req.method().equals("POST") && req.path().equals("/data_attributes")) {
            return reference.createDataAttribute(req);
        }
        if (!req.method().equals("GET")) {
            return null;
        }
        switch (req.path()) {
            case "/segments": return reference.segments(req);
            case "/tags": return reference.tags();
            case "/admins": return reference.admins();
            case "/teams": return reference.teams();
            case "/data_attributes": return reference.dataAttributes(req);
            case "/admins/activity_logs": return reference.activityLogs(req);
            default: return null;
        }
    }

    /** POST /sandbox/mutate?collection=contacts&count=50 → ids; GET /sandbox/stats → counters. */
    private SandboxResponse control(SandboxRequest req) {
        if (req.path().equals("/sandbox/mutate") && req.method().equals("POST")) {
            String collection = req.param("collection") == null ? "contacts" : req.param("collection");
            int count = req.intParam("count", 1, 0, Integer.MAX_VALUE);
            List<String> ids = workspace.mutate(collection, count);
            return SandboxResponse.ok(g -> {
                g.writeStartArray();
                for (String id : ids) {
                    g.writeString(id);
                }
                g.writeEndArray();
            });
        }
        if (req.path().equals("/sandbox/stats") && req.method().equals("GET")) {
            return SandboxResponse.ok(g -> {
                g.writeStartObject();
                g.writeNumberField("total_requests", stats.totalRequests());
                g.writeNumberField("rate_limited_responses", stats.rateLimitedResponses());
                g.writeNumberField("server_error_responses", stats.serverErrorResponses());
                g.writeNumberField("open_scrolls", stats.openScrolls());
                g.writeObjectFieldStart("requests_per_path");
                for (var e : stats.requestsPerPath().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            });
        }
        return null;
    }

    private void send(HttpExchange ex, SandboxResponse r) throws IOException {
        stats.recordStatus(r.status());
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(r.body());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

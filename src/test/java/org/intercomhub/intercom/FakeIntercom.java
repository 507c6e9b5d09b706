package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A small Intercom look-alike on loopback for client tests: routes by method and path, records every call, and can
 * enforce a rate-limit budget per window with Intercom's headers and 429s.
 */
final class FakeIntercom implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as the server saw it. */
    record Call(String method, String path, Map<String, String> query, Headers headers, JsonNode body,
                long receivedAtMillis) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** What to answer; {@link #drop()} closes the connection without any response. */
    record Reply(int status, String body, Map<String, String> headers, boolean dropConnection) {
        static Reply json(String body) {
            return new Reply(200, body, Map.of(), false);
        }

        static Reply json(JsonNode body) {
            return json(body.toString());
        }

        static Reply error(int status, String code, String message) {
            return new Reply(status, "{\"type\":\"error.list\",\"request_id\":\"req-" + status + "\",\"errors\":"
                    + "[{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}]}", Map.of(), false);
        }

        static Reply raw(int status, String body) {
            return new Reply(status, body, Map.of(), false);
        }

        static Reply drop() {
            return new Reply(0, null, Map.of(), true);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, body, more, dropConnection);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Function<Call, Reply>> routes = new ConcurrentHashMap<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());

    // Rate limiting, off unless enabled.
    private volatile int limit = -1;
    private volatile int windowSeconds = 10;
    private final Map<Long, AtomicInteger> servedPerWindow = new ConcurrentHashMap<>();
    private final AtomicInteger served429 = new AtomicInteger();
    private final AtomicInteger servedOk = new AtomicInteger();

    FakeIntercom() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeIntercom route(String method, String path, Function<Call, Reply> handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    /** Enforces {@code limit} requests per window of {@code window} (aligned to whole seconds, as Intercom's). */
    FakeIntercom rateLimit(int limit, Duration window) {
        this.windowSeconds = (int) window.toSeconds();
        this.limit = limit;
        return this;
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    List<Call> calls(String path) {
        return calls().stream().filter(call -> call.path().equals(path)).toList();
    }

    int served429() {
        return served429.get();
    }

    int servedOk() {
        return servedOk.get();
    }

    /** Requests admitted (not 429) in each window, for checking the reserve. */
    Map<Long, Integer> admittedPerWindow() {
        Map<Long, Integer> copy = new LinkedHashMap<>();
        servedPerWindow.forEach((window, count) -> copy.put(window, Math.min(count.get(), limit)));
        return copy;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
            Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    parseQuery(exchange.getRequestURI().getRawQuery()), exchange.getRequestHeaders(), body,
                    System.currentTimeMillis());
            calls.add(call);

            Map<String, String> rateHeaders = new LinkedHashMap<>();
            if (limit > 0) {
                long nowSeconds = call.receivedAtMillis() / 1000;
                long window = nowSeconds / windowSeconds;
                int count = servedPerWindow.computeIfAbsent(window, w -> new AtomicInteger()).incrementAndGet();
                rateHeaders.put("X-RateLimit-Limit", Integer.toString(limit));
                rateHeaders.put("X-RateLimit-Remaining", Integer.toString(Math.max(0, limit - count)));
                rateHeaders.put("X-RateLimit-Reset", Long.toString((window + 1) * windowSeconds));
                if (count > limit) {
                    served429.incrementAndGet();
                    send(exchange, Reply.error(429, "rate_limit_exceeded",
                            "Exceeded rate limit of " + limit + " in " + windowSeconds + "_seconds"), rateHeaders);
                    return;
                }
            }
            Function<Call, Reply> handler = routes.get(call.method() + " " + call.path());
            Reply reply = handler == null ? Reply.error(404, "not_found", "Resource Not Found") : handler.apply(call);
            if (reply.dropConnection()) {
                return; // closing the exchange before any response makes the server drop the connection
            }
            if (reply.status() == 200) {
                servedOk.incrementAndGet();
            }
            send(exchange, reply, rateHeaders);
        }
    }

    private static void send(HttpExchange exchange, Reply reply, Map<String, String> extraHeaders)
            throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        extraHeaders.forEach(headers::set);
        reply.headers().forEach(headers::set);
        byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }

    /** Settings pointing at this server, with short backoffs so retry tests stay fast. */
    IntercomSettings.Builder settings() {
        return IntercomSettings.builder()
                .accessToken("tok_test_secret")
                .baseUrl(baseUrl())
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(50))
                .responseTimeout(Duration.ofSeconds(5));
    }

    IntercomClient client() {
        return new IntercomClient(settings().build(), new RateLimiter());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

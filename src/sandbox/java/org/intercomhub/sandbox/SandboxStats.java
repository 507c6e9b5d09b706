package org.intercomhub.sandbox;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * Counters of what the sandbox served. Paths are normalised (record ids become {@code {id}}) so that 200,000
 * single-contact fetches count under one key instead of 200,000.
 */
public final class SandboxStats {

    private static final Pattern ID_SEGMENT = Pattern.compile("/(\\d+|[0-9a-f]{24})(?=/|$)");

    private final AtomicLong total = new AtomicLong();
    private final Map<String, LongAdder> perPath = new ConcurrentHashMap<>();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();
    private final IntSupplier openScrolls;

    SandboxStats(IntSupplier openScrolls) {
        this.openScrolls = openScrolls;
    }

    void recordRequest(String method, String path) {
        total.incrementAndGet();
        perPath.computeIfAbsent(method + " " + normalise(path), k -> new LongAdder()).increment();
    }

    void recordStatus(int status) {
        if (status == 429) {
            rateLimited.incrementAndGet();
        } else if (status >= 500) {
            serverErrors.incrementAndGet();
        }
    }

    static String normalise(String path) {
        return ID_SEGMENT.matcher(path).replaceAll("/{id}");
    }

    public long totalRequests() { return total.get(); }

    /** Requests for a normalised "METHOD /path", e.g. {@code "POST /contacts/search"} or {@code "GET /contacts/{id}"}. */
    public long requests(String methodAndPath) {
        LongAdder a = perPath.get(methodAndPath);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> requestsPerPath() {
        Map<String, Long> m = new TreeMap<>();
        perPath.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public long rateLimitedResponses() { return rateLimited.get(); }

    public long serverErrorResponses() { return serverErrors.get(); }

    public int openScrolls() { return openScrolls.getAsInt(); }

    public void reset() {
        total.set(0);
        perPath.clear();
        rateLimited.set(0);
        serverErrors.set(0);
    }
}

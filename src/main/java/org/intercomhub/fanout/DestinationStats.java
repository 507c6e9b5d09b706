package org.intercomhub.fanout;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** Per-branch counters since start-up, for the {@code destinations} section of {@code GET /sync/status}. */
public class DestinationStats {

    private final Map<String, Counters> branches = new ConcurrentSkipListMap<>();
    private Function<String, Map<String, Long>> backlog = branch -> Map.of();

    static final class Counters {
        final boolean enabled;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong throttled = new AtomicLong();
        final AtomicLong replayed = new AtomicLong();
        final Map<String, AtomicLong> droppedBecause = new ConcurrentHashMap<>();
        volatile String lastError;

        Counters(boolean enabled) {
            this.enabled = enabled;
        }
    }

    public void register(String branch, boolean enabled) {
        branches.put(branch, new Counters(enabled));
    }

    public void backlogFrom(Function<String, Map<String, Long>> backlog) {
        this.backlog = backlog;
    }

    private Counters of(String branch) {
        return branches.computeIfAbsent(branch, b -> new Counters(true));
    }

    public void sent(String branch, long n) {
        of(branch).sent.addAndGet(n);
    }

    public void failed(String branch, long n, String error) {
        of(branch).failed.addAndGet(n);
        of(branch).lastError = error;
    }

    public void deadLettered(String branch, long n) {
        of(branch).deadLettered.addAndGet(n);
    }

    public void throttled(String branch, long n) {
        of(branch).throttled.addAndGet(n);
    }

    public void replayed(String branch, long n) {
        of(branch).replayed.addAndGet(n);
    }

    public void dropped(String branch, String reason) {
        Counters counters = of(branch);
        counters.dropped.incrementAndGet();
        counters.droppedBecause.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    public long sent(String branch) {
        return of(branch).sent.get();
    }

    public long dropped(String branch) {
        return of(branch).dropped.get();
    }

    public long deadLettered(String branch) {
        return of(branch).deadLettered.get();
    }

    public Map<String, Object> snapshot() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("warehouse", Map.of("mode", "synchronous: a page is committed only after the warehouse wrote it"));
        branches.forEach((name, c) -> {
            Map<String, Object> branch = new LinkedHashMap<>();
            branch.put("enabled", c.enabled);
            branch.put("sent", c.sent.get());
            branch.put("failed", c.failed.get());
            branch.put("dead_lettered", c.deadLettered.get());
            branch.put("dropped", c.dropped.get());
            Map<String, Long> reasons = new LinkedHashMap<>();
            c.droppedBecause.forEach((reason, n) -> reasons.put(reason, n.get()));
            branch.put("dropped_because", reasons);
            branch.put("throttled", c.throttled.get());
            branch.put("replayed", c.replayed.get());
            branch.putAll(backlog.apply(name));
            branch.put("last_error", c.lastError);
            all.put(name, branch);
        });
        return all;
    }
}

package org.intercomhub.sandbox;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The last {@code limit} items a stub received, for inspection: a demo or a benchmark must not fill the heap. Its
 * size is counted, not walked ({@link ConcurrentLinkedDeque#size()} visits every item, on each request).
 */
final class KeptLast<T> {

    private final int limit;
    private final Deque<T> items = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();

    KeptLast(int limit) {
        this.limit = limit;
    }

    void add(T item) {
        items.addLast(item);
        if (size.incrementAndGet() > limit && items.pollFirst() != null) {
            size.decrementAndGet();
        }
    }

    List<T> list() {
        return new ArrayList<>(items);
    }

    void clear() {
        items.clear();
        size.set(0);
    }
}

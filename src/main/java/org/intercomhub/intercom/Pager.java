package org.intercomhub.intercom;

/**
 * Walks one listing page by page. Not thread-safe: one pager per pull. Close it when stopping early so a scroll
 * gives its per-app permit back.
 */
public interface Pager extends AutoCloseable {

    boolean hasNext();

    /** Fetches the next page; throws {@link java.util.NoSuchElementException} after the last one. */
    Page next();

    @Override
    default void close() {
    }
}

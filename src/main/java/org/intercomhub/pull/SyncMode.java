package org.intercomhub.pull;

/** How a collection is kept current. */
public enum SyncMode {
    /** Only what changed since the last high-water mark is read (search on updated_at / created_at). */
    INCREMENTAL,
    /** Everything is read every run; rows that did not come back are marked {@code _deleted}. */
    FULL_REFRESH
}

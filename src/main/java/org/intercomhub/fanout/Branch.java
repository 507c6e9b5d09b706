package org.intercomhub.fanout;

import org.intercomhub.record.CanonicalRecord;

import java.util.List;

/** A destination fed from the outbox: analytics, CRM. */
public interface Branch {

    /** The branch's name in the outbox, the dead letters and the status page. */
    String name();

    /** Whether the branch has anything to do with this record at all; records it ignores never enter its outbox. */
    boolean accepts(CanonicalRecord record);

    /**
     * What of an accepted record the branch's queue keeps: only what the branch maps, so its outbox rows stay small
     * (a contact's tags, social profiles and unmapped JSON columns are not written, read and parsed per branch).
     * Whatever it returns must map exactly as the whole record does. The whole record by default.
     */
    default CanonicalRecord queued(CanonicalRecord record) {
        return record;
    }

    /** Tries to deliver the records once; one outcome per record, in order. Never throws for a failed endpoint. */
    List<Outcome> deliver(List<CanonicalRecord> records);
}

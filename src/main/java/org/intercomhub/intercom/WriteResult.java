package org.intercomhub.intercom;

import java.util.Objects;

/**
 * What one write did to Intercom, small enough for a push route to record per row: the outcome, the Intercom id of
 * the record written (null when there is none, e.g. a rejected create) and, for a rejection, why.
 *
 * @param outcome    what happened
 * @param intercomId Intercom's id of the contact, company or attribute; null when unknown
 * @param reason     for {@link Outcome#REJECTED}: Intercom's refusal ({@code code: message}) or the writer's own
 *                   (ambiguous match, too many metadata keys); otherwise a note such as "unarchived first", or null
 */
public record WriteResult(Outcome outcome, String intercomId, String reason) {

    public enum Outcome {
        CREATED, UPDATED, UNCHANGED, ARCHIVED, DELETED, REJECTED;

        /** The lower-case name a results table stores ({@code created}, {@code rejected}, ...). */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public WriteResult {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.REJECTED && (reason == null || reason.isBlank())) {
            throw new IllegalArgumentException("a rejection needs a reason");
        }
    }

    public static WriteResult created(String id) { return new WriteResult(Outcome.CREATED, id, null); }
    public static WriteResult updated(String id) { return new WriteResult(Outcome.UPDATED, id, null); }
    public static WriteResult updated(String id, String note) { return new WriteResult(Outcome.UPDATED, id, note); }
    public static WriteResult unchanged(String id, String note) { return new WriteResult(Outcome.UNCHANGED, id, note); }
    public static WriteResult archived(String id) { return new WriteResult(Outcome.ARCHIVED, id, null); }
    public static WriteResult deleted(String id) { return new WriteResult(Outcome.DELETED, id, null); }
    public static WriteResult rejected(String id, String reason) { return new WriteResult(Outcome.REJECTED, id, reason); }

    public boolean isRejected() {
        return outcome == Outcome.REJECTED;
    }
}

package org.intercomhub.push;

import java.util.Map;

/**
 * What a row will do to Intercom, decided before anything is written (a preview stops here).
 *
 * @param kind         the write
 * @param row          the mapped row
 * @param intercomId   the record written to: remembered, or found by the lookup; null for a create or an upsert
 * @param remembered   true when the id is the one the hub remembered for this key (not confirmed by a lookup)
 * @param reason       for {@link Kind#REJECT}: why
 * @param newAttributes custom attributes to create first (name → data type), with create-attributes
 */
public record PushAction(Kind kind, PushRow row, String intercomId, boolean remembered, String reason,
                         Map<String, String> newAttributes) {

    public enum Kind {
        /** a new contact */
        CREATE,
        /** an existing contact or company, by its Intercom id */
        UPDATE,
        /** a company by company_id: Intercom creates or updates it ({@code POST /companies}) */
        UPSERT,
        ARCHIVE, DELETE, SEND, UNCHANGED, REJECT
    }

    static PushAction reject(PushRow row, String reason) {
        return new PushAction(Kind.REJECT, row, null, false, reason, Map.of());
    }

    static PushAction of(Kind kind, PushRow row, String id, boolean remembered, Map<String, String> newAttributes) {
        return new PushAction(kind, row, id, remembered, null, newAttributes);
    }
}

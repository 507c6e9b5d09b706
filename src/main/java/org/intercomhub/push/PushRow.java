package org.intercomhub.push;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * One model row as Intercom will receive it.
 *
 * @param key        the row's match value (email, external_id, Intercom id, company_id or event_id)
 * @param body       the request body: contact or company fields with {@code custom_attributes}, or the event
 * @param companyId  for contacts: the {@code company_id} column, the company to attach the contact to; else null
 * @param attributes the custom attributes the row sets, with the Intercom data type each value has
 * @param hash       SHA-256 of what the row sends (events: of the event id, as an event is sent once)
 * @param rejection  why the row cannot be sent, or null
 */
public record PushRow(String key, ObjectNode body, String companyId, Map<String, String> attributes, String hash,
                      String rejection) {

    static PushRow rejected(String key, String reason) {
        return new PushRow(key, null, null, Map.of(), null, reason);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}

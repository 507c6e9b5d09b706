package org.intercomhub.crm;

import java.time.Duration;

/**
 * The CRM branch's settings ({@code crm:} in application.yaml).
 *
 * @param baseUrl         the records API root, e.g. {@code https://api.gatherdata.co/v1} (no trailing slash)
 * @param apiKey          sent as {@code Authorization: Token <key>}
 * @param mode            create (upsert) or update_only (never creates)
 * @param accountKeyField the company field holding your account id (default {@code company_id})
 * @param userKeyField    the contact field holding your user id: {@code user_id} (Intercom's {@code external_id},
 *                        the default), {@code email}, {@code id} (Intercom's id) or any column / custom attribute
 * @param deleteUsers     a contact deleted in Intercom deletes the CRM user
 */
public record CrmSettings(String baseUrl, String apiKey, Mode mode, String accountKeyField, String userKeyField,
                          boolean deleteUsers, Duration timeout) {

    public enum Mode { CREATE, UPDATE_ONLY }

    public CrmSettings {
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }
}

package org.intercomhub.crm;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The {@code crm:} settings: the CRM branch of the fan-out (a Gather-style records API).
 *
 * @param enabled         CRM_ENABLED: true switches the branch on (then CRM_BASE_URL is required, checked at
 *                        start-up), false off; unset: on exactly when a base URL is set
 * @param baseUrl         root of the records API, e.g. https://api.gatherdata.co/v1 (CRM_BASE_URL)
 * @param apiKey          sent as Authorization: Token &lt;key&gt; (CRM_API_KEY)
 * @param syncMode        create (upsert accounts and users) or update_only (never creates) (CRM_SYNC_MODE)
 * @param accountKeyField the company field holding your account id (CRM_ACCOUNT_KEY_FIELD)
 * @param userKeyField    the contact field holding your user id: user_id (Intercom's external_id), email, id or a
 *                        custom attribute's name (CRM_USER_KEY_FIELD)
 * @param deleteUsers     a contact deleted in Intercom deletes the CRM user (CRM_DELETE_USERS)
 * @param timeout         HTTP timeout of each request (CRM_TIMEOUT)
 * @param concurrency     records-API calls in flight at once (CRM_CONCURRENCY): the contract takes one record per
 *                        call, so a batch's calls for different keys go in parallel; one key's calls in order
 */
@Validated
@ConfigurationProperties("crm")
public record CrmProperties(
        Boolean enabled,
        String baseUrl,
        String apiKey,
        @NotNull @DefaultValue("create") CrmSettings.Mode syncMode,
        @NotBlank @DefaultValue("company_id") String accountKeyField,
        @NotBlank @DefaultValue("user_id") String userKeyField,
        @DefaultValue("false") boolean deleteUsers,
        @NotNull @DurationMin(millis = 1) @DefaultValue("30s") Duration timeout,
        @Min(1) @DefaultValue("4") int concurrency) {

    /** An empty value is no value. */
    public CrmProperties {
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.trim();
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    }

    public boolean hasBaseUrl() {
        return baseUrl != null && !baseUrl.isBlank();
    }

    /** Whether the branch runs: as switched, else when it has its credentials. */
    public boolean active() {
        return enabled != null ? enabled : hasBaseUrl();
    }

    public CrmSettings toSettings() {
        return new CrmSettings(hasBaseUrl() ? baseUrl.trim() : "", apiKey == null ? "" : apiKey, syncMode,
                accountKeyField, userKeyField, deleteUsers, timeout);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "CrmProperties[enabled=" + enabled + ", baseUrl=" + baseUrl + ", apiKey="
                + (apiKey == null || apiKey.isBlank() ? "(unset)" : "****") + ", syncMode=" + syncMode + "]";
    }
}

package org.intercomhub.demo;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code sandbox:} settings of the demo profile (application-demo.yaml): the simulated Intercom workspace and the
 * stub receivers the demo's analytics and CRM branches send to. Bound only with the demo profile.
 *
 * @param port                     the sandbox's port on loopback (SANDBOX_PORT); application-demo.yaml points
 *                                 intercom.base-url at it
 * @param seed                     seed of the generated workspace: same seed, same data (SANDBOX_SEED)
 * @param contacts                 sandbox size (SANDBOX_CONTACTS)
 * @param companies                (SANDBOX_COMPANIES)
 * @param conversations            (SANDBOX_CONVERSATIONS)
 * @param rateLimitPer10s          requests per 10-second window, 0 = unlimited (SANDBOX_RATE_LIMIT)
 * @param amplitudePort            the stub Amplitude's port (SANDBOX_AMPLITUDE_PORT); analytics.url points at it
 * @param crmPort                  the stub CRM's port (SANDBOX_CRM_PORT); crm.base-url points at it
 * @param amplitudeThrottlePercent the stub Amplitude throttles this share of users once (429), 0 = never
 */
@Validated
@ConfigurationProperties("sandbox")
public record SandboxProperties(
        @Min(0) @Max(65535) @DefaultValue("8089") int port,
        @DefaultValue("42") long seed,
        @Min(0) @DefaultValue("2000") int contacts,
        @Min(0) @DefaultValue("300") int companies,
        @Min(0) @DefaultValue("1000") int conversations,
        @Min(0) @DefaultValue("0") int rateLimitPer10s,
        @Min(0) @Max(65535) @DefaultValue("8097") int amplitudePort,
        @Min(0) @Max(65535) @DefaultValue("8098") int crmPort,
        @Min(0) @Max(100) @DefaultValue("0") int amplitudeThrottlePercent) {
}

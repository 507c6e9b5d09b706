package org.intercomhub.admin;

import jakarta.validation.constraints.NotNull;
import org.intercomhub.InvalidSettingException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * The {@code admin:} settings: who may call the management API (/sync/*, /dead-letters*, actuator endpoints other
 * than the health probes, anything not explicitly open; see {@link AdminAccessFilter}).
 *
 * <p>The tokens are checked by {@link #toTokens()} rather than by bean-validation constraints on the list: Spring's
 * report of a failed constraint prints the offending value, and a token must never reach the log.
 *
 * @param tokens bearer tokens an admin call may present, comma-separated so a new one can be added before the old
 *               one is removed (HUB_ADMIN_TOKENS). Empty: admin calls are answered for loopback callers only
 */
@Validated
@ConfigurationProperties("admin")
public record AdminProperties(@NotNull @DefaultValue List<String> tokens) {

    /** Shorter tokens are refused at start-up: they can be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public AdminProperties {
        tokens = tokens == null ? List.of()
                : tokens.stream().filter(t -> t != null && !t.isBlank()).map(String::strip).toList();
    }

    /** @throws InvalidSettingException naming the position of a token that is too short, never its value */
    public AdminTokens toTokens() {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).length() < MIN_TOKEN_LENGTH) {
                throw new InvalidSettingException("admin.tokens (HUB_ADMIN_TOKENS): token " + (i + 1) + " of "
                        + tokens.size() + " is shorter than " + MIN_TOKEN_LENGTH + " characters",
                        "Use long random tokens, e.g. the output of: openssl rand -hex 32");
            }
        }
        return new AdminTokens(tokens);
    }

    /** Never prints the tokens. */
    @Override
    public String toString() {
        return "AdminProperties[" + tokens.size() + " token(s)]";
    }
}

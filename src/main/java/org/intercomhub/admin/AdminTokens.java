package org.intercomhub.admin;

import org.intercomhub.secrets.SecretDigests;

import java.util.List;

/** The admin tokens (HUB_ADMIN_TOKENS), as digests compared in constant time. */
public final class AdminTokens extends SecretDigests {

    AdminTokens(List<String> tokens) {
        super(tokens);
    }

    /** Tokens checked as the settings check them (length, blanks). */
    public static AdminTokens of(String... tokens) {
        return new AdminProperties(List.of(tokens)).toTokens();
    }
}

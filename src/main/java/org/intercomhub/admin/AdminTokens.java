package org.intercomhub.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The admin tokens, kept only as SHA-256 digests. A presented token is compared with every one of them in constant
 * time: digests of equal length through {@link MessageDigest#isEqual}, and no early exit, so neither the answer's
 * timing nor which token matched says anything about a token.
 */
public final class AdminTokens {

    private final List<byte[]> digests;

    AdminTokens(List<String> tokens) {
        this.digests = tokens.stream().map(AdminTokens::sha256).toList();
    }

    public static AdminTokens of(String... tokens) {
        return new AdminProperties(List.of(tokens)).toTokens();
    }

    /** No token configured: admin calls are answered for loopback callers only. */
    public boolean none() {
        return digests.isEmpty();
    }

    public int count() {
        return digests.size();
    }

    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean matched = false;
        for (byte[] token : digests) {
            matched |= MessageDigest.isEqual(token, digest);
        }
        return matched;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminTokens[" + digests.size() + "]";
    }
}

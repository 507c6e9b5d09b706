package org.intercomhub.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Secrets callers present (admin tokens, tracking write keys), kept only as SHA-256 digests. A presented secret is
 * compared with every one of them in constant time: digests of equal length through {@link MessageDigest#isEqual},
 * and no early exit, so neither the answer's timing nor which secret matched says anything about a secret. Never
 * printed: {@link #toString()} says how many there are.
 */
public abstract class SecretDigests {

    private final List<byte[]> digests;

    protected SecretDigests(List<String> secrets) {
        this.digests = secrets.stream().map(SecretDigests::sha256).toList();
    }

    /** None configured. */
    public boolean none() {
        return digests.isEmpty();
    }

    public int count() {
        return digests.size();
    }

    public boolean matches(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean matched = false;
        for (byte[] secret : digests) {
            matched |= MessageDigest.isEqual(secret, digest);
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
        return getClass().getSimpleName() + "[" + digests.size() + "]";
    }
}

package org.intercomhub.tracking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The write keys, kept only as SHA-256 digests and compared in constant time (equal-length digests through
 * {@link MessageDigest#isEqual}, every key tried): the answer's timing says nothing about a key.
 */
public final class WriteKeys {

    private final List<byte[]> digests;

    public WriteKeys(List<String> keys) {
        this.digests = keys.stream().map(WriteKeys::sha256).toList();
    }

    public boolean none() {
        return digests.isEmpty();
    }

    public boolean matches(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean matched = false;
        for (byte[] key : digests) {
            matched |= MessageDigest.isEqual(key, digest);
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
        return "WriteKeys[" + digests.size() + "]";
    }
}

package org.intercomhub.warehouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Turns names that come from data (custom attribute names, collection names) into safe SQL identifiers. The result
 * only contains {@code [a-z0-9_]}, so it can never close a quoted identifier; it is quoted in SQL all the same.
 * Sanitizing is idempotent: a sanitized name sanitizes to itself.
 */
public final class Identifiers {

    /** PostgreSQL's identifier limit (NAMEDATALEN - 1); MariaDB allows 64 and H2 more. */
    public static final int MAX_LENGTH = 63;
    private static final int HASH_LENGTH = 8;
    private static final Pattern UNSAFE = Pattern.compile("[^a-z0-9_]");
    private static final Pattern REPEATED_UNDERSCORES = Pattern.compile("_{2,}");
    private static final Pattern TRIMMED_UNDERSCORES = Pattern.compile("^_+|_+$");
    /**
     * Names already sanitized, each with its result: every column of every row is sanitized, and checking a name
     * character by character took a twentieth of a pull's CPU; a lookup of the same (mostly interned) name is cheaper.
     * Bounded, since names come from data: past the bound, names are checked as before.
     */
    private static final int MAX_REMEMBERED = 10_000;
    private static final Map<String, String> REMEMBERED = new ConcurrentHashMap<>();

    private Identifiers() {
    }

    public static String sanitize(String name) {
        if (name == null) {
            return "_";
        }
        String known = REMEMBERED.get(name);
        if (known != null) {
            return known;
        }
        // the common case, a name that is safe as it is: no regular expressions
        String safe = isSanitized(name) ? name : sanitizeAnew(name);
        if (REMEMBERED.size() < MAX_REMEMBERED) {
            REMEMBERED.put(name, safe);
        }
        return safe;
    }

    private static String sanitizeAnew(String name) {
        String safe = TRIMMED_UNDERSCORES.matcher(REPEATED_UNDERSCORES.matcher(
                UNSAFE.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_")).replaceAll("_")).replaceAll("");
        if (safe.isEmpty()) {
            return "_";
        }
        if (Character.isDigit(safe.charAt(0))) {
            safe = "_" + safe;
        }
        if (safe.length() <= MAX_LENGTH) {
            return safe;
        }
        // Keep two long names that share a prefix apart: the hash is of the whole sanitized name.
        String prefix = safe.substring(0, MAX_LENGTH - HASH_LENGTH - 1).replaceAll("_+$", "");
        return prefix + "_" + shortHash(safe);
    }

    /** Whether sanitizing would return the name unchanged. */
    static boolean isSanitized(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        char previous = '_';
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '_' && previous != '_');
            if (!safe || (i == 0 && c >= '0' && c <= '9')) {
                return false;
            }
            previous = c;
        }
        return previous != '_';
    }

    /** The first 8 hex digits of the name's SHA-256: a stable, short suffix that keeps names apart. */
    public static String shortHash(String text) {
        return sha256Hex(text).substring(0, HASH_LENGTH);
    }

    public static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

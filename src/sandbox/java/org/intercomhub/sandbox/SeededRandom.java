package org.intercomhub.sandbox;

/**
 * Stateless randomness: every value is a hash of (seed, stream, index, salt), so a record can be rebuilt at any
 * time from its index without storing it, in any order, from any thread.
 */
final class SeededRandom {

    static final int CONTACT = 1;
    static final int COMPANY = 2;
    static final int CONVERSATION = 3;
    static final int TICKET = 4;
    static final int REFERENCE = 5;
    static final int MUTATION = 6;

    private SeededRandom() {
    }

    static long hash(long seed, int stream, long index, int salt) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform int in [0, bound) from a hash; bound must be positive. */
    static int below(long hash, int bound) {
        return (int) ((hash >>> 1) % bound);
    }

    /** Uniform long in [0, bound) from a hash; bound must be positive. */
    static long belowLong(long hash, long bound) {
        return (hash >>> 1) % bound;
    }

    static boolean chance(long hash, int percent) {
        return below(hash, 100) < percent;
    }

    static <T> T pick(long hash, T[] values) {
        return values[below(hash, values.length)];
    }
}

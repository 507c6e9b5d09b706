package org.intercomhub.sandbox;

/**
 * Public ids of generated records. Contact, company and segment ids are 24 hex characters like Intercom's object
 * ids; conversation, ticket, tag, admin and team ids are numeric strings as in Intercom. The record index is
 * encoded in the id, so lookups need no map and id order equals index order.
 */
final class SandboxIds {

    private static final String CONTACT_PREFIX = "6630a1b2";
    private static final String COMPANY_PREFIX = "6630c0de";
    private static final String SEGMENT_PREFIX = "6630e5e9";
    private static final long CONVERSATION_BASE = 100_000L;
    private static final long TICKET_BASE = 700_000L;
    private static final long TAG_BASE = 9_000L;
    private static final long ADMIN_BASE = 1_000L;
    private static final long TEAM_BASE = 500L;

    private SandboxIds() {
    }

    static String contact(int i) { return hexId(CONTACT_PREFIX, i); }
    static String company(int i) { return hexId(COMPANY_PREFIX, i); }
    static String segment(int i) { return hexId(SEGMENT_PREFIX, i); }
    static String conversation(int i) { return Long.toString(CONVERSATION_BASE + i); }
    static String ticket(int i) { return Long.toString(TICKET_BASE + i); }
    static String tag(int i) { return Long.toString(TAG_BASE + i); }
    static String admin(int i) { return Long.toString(ADMIN_BASE + i); }
    static long adminNumber(int i) { return ADMIN_BASE + i; }
    static String team(int i) { return Long.toString(TEAM_BASE + i); }
    static long teamNumber(int i) { return TEAM_BASE + i; }

    static int contactIndex(String id) { return hexIndex(CONTACT_PREFIX, id); }
    static int companyIndex(String id) { return hexIndex(COMPANY_PREFIX, id); }
    static int segmentIndex(String id) { return hexIndex(SEGMENT_PREFIX, id); }
    static int conversationIndex(String id) { return numericIndex(CONVERSATION_BASE, id); }
    static int ticketIndex(String id) { return numericIndex(TICKET_BASE, id); }

    private static String hexId(String prefix, int i) {
        String hex = Long.toHexString(i);
        StringBuilder sb = new StringBuilder(24).append(prefix);
        for (int k = hex.length(); k < 16; k++) {
            sb.append('0');
        }
        return sb.append(hex).toString();
    }

    /** Index encoded in the id, or -1 when the id is not one of ours. */
    private static int hexIndex(String prefix, String id) {
        if (id == null || id.length() != 24 || !id.startsWith(prefix)) {
            return -1;
        }
        try {
            long v = Long.parseLong(id.substring(8), 16);
            return v > Integer.MAX_VALUE ? -1 : (int) v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int numericIndex(long base, String id) {
        if (id == null || id.isEmpty() || id.length() > 12) {
            return -1;
        }
        try {
            long v = Long.parseLong(id) - base;
            return v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

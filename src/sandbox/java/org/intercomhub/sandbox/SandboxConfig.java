package org.intercomhub.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * Immutable settings of a simulated Intercom workspace. Every generated record is a pure function of
 * {@code seed} and its index, so two sandboxes with the same config serve the same data.
 */
public final class SandboxConfig {

    private final long seed;
    private final int contacts;
    private final int companies;
    private final int conversations;
    private final int tags;
    private final int segments;
    private final int admins;
    private final int teams;
    private final int tickets;
    private final int activityLogs;
    private final ZoneId timezone;
    private final int rateLimitPer10s;
    private final String accessToken;
    private final String appId;
    private final int port;
    private final Clock clock;
    private final Duration searchIndexLag;
    /** How long each API answer takes: a remote Intercom's round trip, which loopback does not have. */
    private final Duration latency;

    private SandboxConfig(Builder b) {
        this.seed = b.seed;
        this.contacts = nonNegative("contacts", b.contacts);
        this.companies = nonNegative("companies", b.companies);
        this.conversations = nonNegative("conversations", b.conversations);
        this.tags = nonNegative("tags", b.tags);
        this.segments = nonNegative("segments", b.segments);
        this.admins = Math.max(1, b.admins);
        this.teams = Math.max(1, b.teams);
        this.tickets = nonNegative("tickets", b.tickets);
        this.activityLogs = nonNegative("activityLogs", b.activityLogs);
        this.timezone = Objects.requireNonNull(b.timezone, "timezone");
        this.rateLimitPer10s = nonNegative("rateLimitPer10s", b.rateLimitPer10s);
        this.accessToken = Objects.requireNonNull(b.accessToken, "accessToken");
        this.appId = Objects.requireNonNull(b.appId, "appId");
        this.port = nonNegative("port", b.port);
        this.clock = Objects.requireNonNull(b.clock, "clock");
        this.searchIndexLag = Objects.requireNonNull(b.searchIndexLag, "searchIndexLag");
        if (searchIndexLag.isNegative()) {
            throw new IllegalArgumentException("searchIndexLag must be >= 0 but was " + searchIndexLag);
        }
        this.latency = Objects.requireNonNull(b.latency, "latency");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0 but was " + latency);
        }
    }

    private static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0 but was " + value);
        }
        return value;
    }

    public static SandboxConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.contacts = contacts;
        b.companies = companies;
        b.conversations = conversations;
        b.tags = tags;
        b.segments = segments;
        b.admins = admins;
        b.teams = teams;
        b.tickets = tickets;
        b.activityLogs = activityLogs;
        b.timezone = timezone;
        b.rateLimitPer10s = rateLimitPer10s;
        b.accessToken = accessToken;
        b.appId = appId;
        b.port = port;
        b.clock = clock;
        b.searchIndexLag = searchIndexLag;
        b.latency = latency;
        return b;
    }

    public long seed() { return seed; }
    public int contacts() { return contacts; }
    public int companies() { return companies; }
    public int conversations() { return conversations; }
    public int tags() { return tags; }
    public int segments() { return segments; }
    public int admins() { return admins; }
    public int teams() { return teams; }
    public int tickets() { return tickets; }
    public int activityLogs() { return activityLogs; }
    public ZoneId timezone() { return timezone; }
    public int rateLimitPer10s() { return rateLimitPer10s; }
    public String accessToken() { return accessToken; }
    public String appId() { return appId; }
    public int port() { return port; }
    /** Clock of the workspace: "now" for generated timestamps, mutations, scroll expiry and rate-limit windows. */
    public Clock clock() { return clock; }
    /**
     * How long after a write through the API search still answers from the state before it (Intercom: "a few
     * minutes"): a created contact is not found, an updated one is found by its old values. Lists and GETs are
     * current at once.
     */
    public Duration searchIndexLag() { return searchIndexLag; }
    public Duration latency() { return latency; }

    public SandboxConfig withSeed(long v) { Builder b = toBuilder(); b.seed = v; return b.build(); }
    public SandboxConfig withContacts(int v) { return toBuilder().contacts(v).build(); }
    public SandboxConfig withCompanies(int v) { return toBuilder().companies(v).build(); }
    public SandboxConfig withConversations(int v) { return toBuilder().conversations(v).build(); }
    public SandboxConfig withTags(int v) { return toBuilder().tags(v).build(); }
    public SandboxConfig withSegments(int v) { return toBuilder().segments(v).build(); }
    public SandboxConfig withAdmins(int v) { return toBuilder().admins(v).build(); }
    public SandboxConfig withTeams(int v) { return toBuilder().teams(v).build(); }
    public SandboxConfig withTickets(int v) { return toBuilder().tickets(v).build(); }
    public SandboxConfig withActivityLogs(int v) { return toBuilder().activityLogs(v).build(); }
    public SandboxConfig withTimezone(ZoneId v) { return toBuilder().timezone(v).build(); }
    public SandboxConfig withRateLimitPer10s(int v) { return toBuilder().rateLimitPer10s(v).build(); }
    public SandboxConfig withAccessToken(String v) { return toBuilder().accessToken(v).build(); }
    public SandboxConfig withAppId(String v) { return toBuilder().appId(v).build(); }
    public SandboxConfig withPort(int v) { return toBuilder().port(v).build(); }
    public SandboxConfig withClock(Clock v) { return toBuilder().clock(v).build(); }
    public SandboxConfig withSearchIndexLag(Duration v) { return toBuilder().searchIndexLag(v).build(); }

    @Override
    public String toString() {
        return "SandboxConfig{seed=" + seed + ", contacts=" + contacts + ", companies=" + companies
                + ", conversations=" + conversations + ", tags=" + tags + ", segments=" + segments
                + ", admins=" + admins + ", teams=" + teams + ", tickets=" + tickets
                + ", activityLogs=" + activityLogs + ", timezone=" + timezone
                + ", rateLimitPer10s=" + rateLimitPer10s + ", appId=" + appId + ", port=" + port
                + ", searchIndexLag=" + searchIndexLag + ", latency=" + latency + "}";
    }

    public static final class Builder {
        private long seed = 42;
        private int contacts = 2000;
        private int companies = 300;
        private int conversations = 1000;
        private int tags = 30;
        private int segments = 12;
        private int admins = 8;
        private int teams = 3;
        private int tickets = 200;
        private int activityLogs = 300;
        private ZoneId timezone = ZoneId.of("America/New_York");
        private int rateLimitPer10s = 0;
        private String accessToken = "sandbox-token";
        private String appId = "sandbox-app";
        private int port = 0;
        private Clock clock = Clock.systemUTC();
        private Duration searchIndexLag = Duration.ofMinutes(1);
        private Duration latency = Duration.ZERO;

        private Builder() {
        }

        public Builder seed(long v) { seed = v; return this; }
        public Builder contacts(int v) { contacts = v; return this; }
        public Builder companies(int v) { companies = v; return this; }
        public Builder conversations(int v) { conversations = v; return this; }
        public Builder tags(int v) { tags = v; return this; }
        public Builder segments(int v) { segments = v; return this; }
        public Builder admins(int v) { admins = v; return this; }
        public Builder teams(int v) { teams = v; return this; }
        public Builder tickets(int v) { tickets = v; return this; }
        public Builder activityLogs(int v) { activityLogs = v; return this; }
        public Builder timezone(ZoneId v) { timezone = v; return this; }
        public Builder timezone(String v) { timezone = ZoneId.of(v); return this; }
        public Builder rateLimitPer10s(int v) { rateLimitPer10s = v; return this; }
        public Builder accessToken(String v) { accessToken = v; return this; }
        public Builder appId(String v) { appId = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder searchIndexLag(Duration v) { searchIndexLag = v; return this; }
        public Builder latency(Duration v) { latency = v; return this; }

        public SandboxConfig build() {
            return new SandboxConfig(this);
        }
    }
}

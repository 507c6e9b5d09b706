package org.intercomhub.sandbox;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The simulated workspace: contacts, companies, conversations and tickets with their mutable state, plus the
 * fixed reference data (tags, segments, admins, teams, activity logs).
 *
 * <p>Records are generated lazily from (seed, index, version); only the compact {@link RecordTable}s are kept.
 * All reads and writes go through one read/write lock so that a page is rendered from one consistent state.
 */
public final class SandboxWorkspace {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long DAY = 86_400L;
    private static final long HISTORY_SECONDS = 730 * DAY;

    private final SandboxConfig config;
    private volatile Clock clock;
    private final long generatedAt;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private final RecordTable contacts;
    private final RecordTable companies;
    private final RecordTable conversations;
    private final RecordTable tickets;

    private final int[] populatedCompanies;
    private int[] companyUserCount;
    private final Map<String, String> addedContactAttributes = new LinkedHashMap<>();
    private final Map<String, String> addedCompanyAttributes = new LinkedHashMap<>();
    private final SandboxWrites writes = new SandboxWrites(this);
    private final Map<String, Integer> mutationCursor = new LinkedHashMap<>();

    private final ContactGenerator contactGenerator;
    private final CompanyGenerator companyGenerator;
    private final ConversationGenerator conversationGenerator;
    private final TicketGenerator ticketGenerator;
    private final ReferenceData referenceData;

    public SandboxWorkspace(SandboxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = config.clock();
        this.generatedAt = clock.instant().getEpochSecond();
        this.contacts = generateTimes(SeededRandom.CONTACT, config.contacts());
        this.companies = generateTimes(SeededRandom.COMPANY, config.companies());
        this.conversations = generateTimes(SeededRandom.CONVERSATION, config.conversations());
        this.tickets = generateTimes(SeededRandom.TICKET, config.tickets());
        this.populatedCompanies = choosePopulatedCompanies(config);
        this.referenceData = new ReferenceData(config, generatedAt);
        this.contactGenerator = new ContactGenerator(this);
        this.companyGenerator = new CompanyGenerator(this);
        this.conversationGenerator = new ConversationGenerator(this);
        this.ticketGenerator = new TicketGenerator(this);
        this.companyUserCount = countCompanyUsers();
    }

    // ---------------------------------------------------------------- generation

    /**
     * Created/updated times spread over two years before start. A fifth of updates are pushed to 23:xx or 00:xx
     * local time and some are rounded to the hour (ties), so day-granular search and cursor tie-breaks are tested.
     */
    private RecordTable generateTimes(int stream, int count) {
        RecordTable table = new RecordTable(count);
        ZoneId zone = config.timezone();
        for (int i = 0; i < count; i++) {
            long h = SeededRandom.hash(config.seed(), stream, i, 1);
            long created = generatedAt - 3600 - SeededRandom.belowLong(h, HISTORY_SECONDS);
            long span = generatedAt - 3600 - created;
            long updated = created + SeededRandom.belowLong(SeededRandom.hash(config.seed(), stream, i, 2), span + 1);
            int shape = SeededRandom.below(SeededRandom.hash(config.seed(), stream, i, 3), 100);
            if (shape < 20) {
                LocalDate day = Instant.ofEpochSecond(updated).atZone(zone).toLocalDate();
                int hour = shape < 12 ? 23 : 0;
                long minuteOffset = SeededRandom.belowLong(h >>> 7, 3600);
                long edge = ZonedDateTime.of(day.atStartOfDay(), zone).withHour(hour).toEpochSecond() + minuteOffset;
                if (edge > created && edge < generatedAt - 3600) {
                    updated = edge;
                }
            } else if (shape < 26) {
                long rounded = updated - Math.floorMod(updated, 3600);
                updated = Math.max(created, rounded);
            }
            table.append(created, updated);
        }
        return table;
    }

    /** About 10% of companies never get users: they are only visible through the scroll API. */
    private int[] choosePopulatedCompanies(SandboxConfig cfg) {
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < cfg.companies(); c++) {
            if (!isDesignatedUserless(c)) {
                chosen.add(c);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    boolean isDesignatedUserless(int company) {
        return config.companies() > 1 && SeededRandom.below(SeededRandom.hash(config.seed(), SeededRandom.COMPANY, company, 50), 10) == 0;
    }

    private int[] countCompanyUsers() {
        int[] counts = new int[config.companies()];
        for (int i = 0; i < config.contacts(); i++) {
            for (int c : contactGenerator.generatedCompaniesOf(i)) {
                counts[c]++;
            }
        }
        return counts;
    }

    // ---------------------------------------------------------------- package-private access for generators/endpoints

    SandboxConfig config() { return config; }
    long seed() { return config.seed(); }
    long generatedAt() { return generatedAt; }
    RecordTable contactsTable() { return contacts; }
    RecordTable companiesTable() { return companies; }
    RecordTable conversationsTable() { return conversations; }
    RecordTable ticketsTable() { return tickets; }
    int[] populatedCompanies() { return populatedCompanies; }
    int companyUserCount(int company) { return company < companyUserCount.length ? companyUserCount[company] : 0; }

    /** Attach (+1) and detach (-1) through the API; grows with companies created through the API. */
    void adjustCompanyUsers(int company, int delta) {
        if (company >= companyUserCount.length) {
            companyUserCount = java.util.Arrays.copyOf(companyUserCount, Math.max(company + 1, companyUserCount.length * 2));
        }
        companyUserCount[company] = Math.max(0, companyUserCount[company] + delta);
    }

    /** Companies of a contact as attached and detached through the API, or null when never changed. */
    int[] writtenCompaniesOf(int contact) { return writes.companiesOf(contact); }

    SandboxWrites writes() { return writes; }
    Lock writeLock() { return lock.writeLock(); }
    ContactGenerator contactGenerator() { return contactGenerator; }
    CompanyGenerator companyGenerator() { return companyGenerator; }
    ConversationGenerator conversationGenerator() { return conversationGenerator; }
    TicketGenerator ticketGenerator() { return ticketGenerator; }
    ReferenceData referenceData() { return referenceData; }
    Lock readLock() { return lock.readLock(); }

    Map<String, String> addedContactAttributes() {
        return addedContactAttributes;
    }

    /** Company attributes created through {@code POST /data_attributes}. */
    Map<String, String> addedCompanyAttributes() {
        return addedCompanyAttributes;
    }

    // ---------------------------------------------------------------- public API: time

    public Clock clock() { return clock; }

    /** Moves "now" for later mutations, scroll expiry and rate-limit windows (tests move time with this). */
    public void setClock(Clock clock) { this.clock = Objects.requireNonNull(clock, "clock"); }

    public long nowEpochSecond() { return clock.instant().getEpochSecond(); }

    // ---------------------------------------------------------------- public API: reads

    /** Live records of a collection: contacts, companies, conversations, tickets, tags, segments, admins, teams, activity_logs. */
    public int count(String collection) {
        lock.readLock().lock();
        try {
            switch (collection) {
                case "contacts": return contacts.liveCount();
                case "companies": return companies.liveCount();
                case "conversations": return conversations.liveCount();
                case "tickets": return tickets.liveCount();
                case "tags": return config.tags();
                case "segments": return config.segments();
                case "admins": return config.admins();
                case "teams": return config.teams();
                case "activity_logs": return config.activityLogs();
                default: throw new IllegalArgumentException("unknown collection: " + collection);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The full contact as {@code GET /contacts/{id}} serves it, or null when it does not exist (or was deleted). */
    public ObjectNode contact(String id) {
        int i = SandboxIds.contactIndex(id);
        return render(() -> contacts.exists(i), g -> contactGenerator.write(g, i));
    }

    public ObjectNode company(String id) {
        int i = SandboxIds.companyIndex(id);
        return render(() -> companies.exists(i), g -> companyGenerator.write(g, i));
    }

    /** The full conversation with (the most recent 500 of) its parts, or null. */
    public ObjectNode conversation(String id) {
        int i = SandboxIds.conversationIndex(id);
        return render(() -> conversations.exists(i), g -> conversationGenerator.write(g, i, true));
    }

    public ObjectNode ticket(String id) {
        int i = SandboxIds.ticketIndex(id);
        return render(() -> tickets.exists(i), g -> ticketGenerator.write(g, i));
    }

    public List<String> contactIds() { return liveIds(contacts, SandboxIds::contact); }
    public List<String> companyIds() { return liveIds(companies, SandboxIds::company); }
    public List<String> conversationIds() { return liveIds(conversations, SandboxIds::conversation); }
    public List<String> ticketIds() { return liveIds(tickets, SandboxIds::ticket); }

    /** Companies that no contact belongs to: absent from {@code /companies/list}, present in the scroll. */
    public List<String> userlessCompanyIds() {
        lock.readLock().lock();
        try {
            List<String> ids = new ArrayList<>();
            for (int c = 0; c < companies.size(); c++) {
                if (companies.exists(c) && companyUserCount(c) == 0) {
                    ids.add(SandboxIds.company(c));
                }
            }
            return ids;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Contacts with more than ten tags (the nested list shows ten and sets has_more). */
    public List<String> contactIdsWithManyTags() {
        lock.readLock().lock();
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < contacts.size(); i++) {
                if (contacts.exists(i) && contactGenerator.tagsOf(i).length > 10) {
                    ids.add(SandboxIds.contact(i));
                }
            }
            return ids;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Contacts belonging to more than ten companies. */
    public List<String> contactIdsWithManyCompanies() {
        lock.readLock().lock();
        try {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < contacts.size(); i++) {
                if (contacts.exists(i) && contactGenerator.companiesOf(i).length > 10) {
                    ids.add(SandboxIds.contact(i));
                }
            }
            return ids;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The one conversation with 600 parts (more than the API's 500-part cap), or null with no conversations. */
    public String conversationIdWithManyParts() {
        int i = conversationGenerator.bigConversationIndex();
        return i < 0 ? null : SandboxIds.conversation(i);
    }

    /** Ids of deleted conversations, oldest deletion first. */
    public List<String> deletedConversationIds() {
        lock.readLock().lock();
        try {
            List<String> ids = new ArrayList<>();
            conversations.deletions().keySet().forEach(i -> ids.add(SandboxIds.conversation(i)));
            return ids;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Events submitted for a contact through {@code POST /events}, oldest first (empty for unknown ids). */
    public List<ObjectNode> events(String contactId) {
        int i = SandboxIds.contactIndex(contactId);
        lock.readLock().lock();
        try {
            return writes.eventsOf(i);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------- public API: writes

    /**
     * Changes n existing records deterministically (names/attributes get new values; conversations get a new part
     * and toggle open/closed; tickets advance their state), sets their updated_at to now and returns their ids.
     * Successive calls walk through the collection with a fixed stride, so they touch different records.
     */
    public List<String> mutate(String collection, int n) {
        RecordTable table = table(collection);
        lock.writeLock().lock();
        try {
            int live = table.liveCount();
            if (n < 0 || n > live) {
                throw new IllegalArgumentException("cannot mutate " + n + " of " + live + " " + collection);
            }
            int size = table.size();
            int stride = strideFor(size);
            int cursor = mutationCursor.getOrDefault(collection,
                    SeededRandom.below(SeededRandom.hash(config.seed(), SeededRandom.MUTATION, collection.hashCode(), 0), Math.max(size, 1)));
            long now = nowEpochSecond();
            List<String> ids = new ArrayList<>(n);
            java.util.BitSet picked = new java.util.BitSet(size);
            while (ids.size() < n) {
                cursor = (int) ((cursor + (long) stride) % size);
                if (!table.exists(cursor) || picked.get(cursor)) {
                    continue;
                }
                picked.set(cursor);
                table.touch(cursor, now, true);
                ids.add(idOf(collection, cursor));
            }
            mutationCursor.put(collection, cursor);
            return ids;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Sets (or adds) a custom attribute on a contact and bumps its updated_at; any name is accepted verbatim. */
    public void setCustomAttribute(String contactId, String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new IllegalArgumentException("custom attribute values are strings, numbers, booleans or null");
        }
        int i = SandboxIds.contactIndex(contactId);
        lock.writeLock().lock();
        try {
            requireExists(contacts, i, "contact", contactId);
            contacts.setCustomAttribute(i, name, value);
            contacts.touch(i, nowEpochSecond(), false);
            if (!contactGenerator.isGeneratedAttribute(name)) {
                addedContactAttributes.putIfAbsent(name, dataTypeOf(value));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Deletes a conversation: then 404 on GET, gone from list and search, listed by /conversations/deleted. */
    public void deleteConversation(String id) {
        int i = SandboxIds.conversationIndex(id);
        lock.writeLock().lock();
        try {
            requireExists(conversations, i, "conversation", id);
            conversations.delete(i, nowEpochSecond());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Deletes a contact: then 404 on GET, gone from list and search. */
    public void deleteContact(String id) {
        int i = SandboxIds.contactIndex(id);
        lock.writeLock().lock();
        try {
            requireExists(contacts, i, "contact", id);
            contacts.delete(i, nowEpochSecond());
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- helpers

    private RecordTable table(String collection) {
        switch (collection) {
            case "contacts": return contacts;
            case "companies": return companies;
            case "conversations": return conversations;
            case "tickets": return tickets;
            default: throw new IllegalArgumentException("mutable collections are contacts, companies, conversations, tickets; not " + collection);
        }
    }

    private static String idOf(String collection, int i) {
        switch (collection) {
            case "contacts": return SandboxIds.contact(i);
            case "companies": return SandboxIds.company(i);
            case "conversations": return SandboxIds.conversation(i);
            default: return SandboxIds.ticket(i);
        }
    }

    /** A stride coprime with the size, so the walk visits every record before repeating one. */
    private static int strideFor(int size) {
        if (size <= 1) {
            return 1;
        }
        int stride = (int) Math.max(1, Math.round(size * 0.618));
        while (gcd(stride, size) != 1) {
            stride++;
        }
        return stride;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static void requireExists(RecordTable table, int i, String kind, String id) {
        if (!table.exists(i)) {
            throw new IllegalArgumentException("no such " + kind + ": " + id);
        }
    }

    static String dataTypeOf(Object value) {
        if (value instanceof Boolean) return "boolean";
        if (value instanceof Double || value instanceof Float) return "float";
        if (value instanceof Number) return "integer";
        return "string";
    }

    private List<String> liveIds(RecordTable table, java.util.function.IntFunction<String> id) {
        lock.readLock().lock();
        try {
            List<String> ids = new ArrayList<>(table.liveCount());
            for (int i = 0; i < table.size(); i++) {
                if (table.exists(i)) {
                    ids.add(id.apply(i));
                }
            }
            return ids;
        } finally {
            lock.readLock().unlock();
        }
    }

    interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private ObjectNode render(java.util.function.BooleanSupplier exists, JsonWriter writer) {
        lock.readLock().lock();
        try {
            if (!exists.getAsBoolean()) {
                return null;
            }
            // Rendered to bytes and parsed back, so numbers get the same node types a client parsing HTTP sees.
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(4096);
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
                writer.write(g);
            }
            return (ObjectNode) MAPPER.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.readLock().unlock();
        }
    }
}

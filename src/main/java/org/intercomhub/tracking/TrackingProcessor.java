package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.fanout.DeadLetters;
import org.intercomhub.intercom.IntercomAccessDeniedException;
import org.intercomhub.intercom.IntercomApiException;
import org.intercomhub.intercom.IntercomException;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The asynchronous half of the tracking API (routes/tracking-api.camel.yaml, route {@code tracking-apply}): applies
 * the inbox's calls to Intercom, each user's in the order they arrived. A call that fails is retried with backoff and
 * holds back its user's later calls until it succeeds or is dead-lettered; Intercom unavailable (5xx, 429, network,
 * refused token) pauses every user, with backoff, since every call would fail the same way. Calls Intercom refuses are
 * dead-lettered at once with its reason, and replayable ({@code POST /dead-letters/replay}, branch {@code tracking}).
 * A call is marked applied only after Intercom took it: a crash in between applies it again, which Intercom's writes
 * absorb (contacts and companies are upserted, an event repeated with its created_at is ignored).
 */
public class TrackingProcessor {

    /** The branch name of the tracking calls' dead letters. */
    public static final String DEAD_LETTER_BRANCH = "tracking";
    private static final Logger log = LoggerFactory.getLogger(TrackingProcessor.class);
    private static final long PURGE_EVERY_MILLIS = 60 * 60 * 1000L;
    private static final int MAX_ROUNDS = 50;
    static final Map<String, String> TABLES = Map.of("identify", "identifies", "group", "groups", "track", "tracks");

    private final TrackingInbox inbox;
    private final TrackingApplier applier;
    private final DeadLetters deadLetters;
    private final TrackingMeters meters;
    private final TrackingProperties settings;
    private final Backoff backoff;
    private final ObjectMapper json;
    private final Clock clock;
    private final ExecutorService workers;
    private volatile long pausedUntil;
    private volatile int outageAttempts;
    private volatile long lastPurge;

    public TrackingProcessor(TrackingInbox inbox, TrackingApplier applier, DeadLetters deadLetters,
                             TrackingMeters meters, TrackingProperties settings, ObjectMapper json, Clock clock) {
        this(inbox, applier, deadLetters, meters, settings, json, clock, null);
    }

    /** {@code workers}: the pool that applies several users' calls at once; null applies one user at a time. */
    public TrackingProcessor(TrackingInbox inbox, TrackingApplier applier, DeadLetters deadLetters,
                             TrackingMeters meters, TrackingProperties settings, ObjectMapper json, Clock clock,
                             ExecutorService workers) {
        this.workers = workers;
        this.inbox = inbox;
        this.applier = applier;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.settings = settings;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        this.json = json;
        this.clock = clock;
    }

    /** Applies due calls until none is due (or Intercom is unavailable); returns how many were settled. */
    public int applyDue() {
        purgeWhenDue();
        if (clock.millis() < pausedUntil) {
            return 0;
        }
        int settled = 0;
        // bounded, so that waiting attachments and the purge get their turn while calls keep arriving
        for (int rounds = 0; rounds < MAX_ROUNDS; rounds++) {
            List<TrackingInbox.Entry> due = inbox.due(settings.batchSize());
            if (due.isEmpty()) {
                break;
            }
            Round round;
            try {
                round = applyRound(due);
            } finally {
                // what the round left (held back, or stopped by an outage) is free again for this or another node
                inbox.release(due);
            }
            settled += round.settled;
            if (round.outage || round.settled == 0) {
                break;
            }
        }
        retryWaitingAttachments();
        return settled;
    }

    private record Round(int settled, boolean outage) {
    }

    /**
     * Applies a round's calls: each user's one after another in seq order, {@code tracking.concurrency} users at a
     * time (on the workers' pool; calls wait for Intercom's answer, so applying one user at a time would fall behind
     * the rate budget). An alias joins its previousId's user: its merge needs the lead that user's earlier calls
     * write. Intercom unavailable stops every user's next call.
     */
    private Round applyRound(List<TrackingInbox.Entry> due) {
        List<List<TrackingInbox.Entry>> users = byUser(due);
        AtomicBoolean outage = new AtomicBoolean();
        if (workers == null || users.size() == 1) {
            int settled = 0;
            for (List<TrackingInbox.Entry> calls : users) {
                settled += applyUser(calls, outage);
                if (outage.get()) {
                    break;
                }
            }
            return new Round(settled, outage.get());
        }
        List<Future<Integer>> running = new ArrayList<>(users.size());
        for (List<TrackingInbox.Entry> calls : users) {
            running.add(workers.submit(() -> applyUser(calls, outage)));
        }
        int settled = 0;
        RuntimeException failure = null;
        for (Future<Integer> user : running) {
            try {
                settled += user.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while tracking calls were applied", e);
            } catch (ExecutionException e) {
                failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return new Round(settled, outage.get());
    }

    /** A round's calls grouped by user, each group in seq order; an alias and its previousId's calls are one group. */
    List<List<TrackingInbox.Entry>> byUser(List<TrackingInbox.Entry> due) {
        Map<String, String> joined = new HashMap<>();
        for (TrackingInbox.Entry entry : due) {
            if (entry.type().equals("alias")) {
                String previousId = TrackingCall.idText(callOf(entry).body().get("previousId"));
                if (previousId != null) {
                    String group = root(joined, entry.userKey());
                    joined.put(root(joined, TrackingCall.userKey(null, previousId)), group);
                    joined.put(root(joined, TrackingCall.userKey(previousId, null)), group);
                }
            }
        }
        Map<String, List<TrackingInbox.Entry>> groups = new LinkedHashMap<>();
        for (TrackingInbox.Entry entry : due) {
            groups.computeIfAbsent(root(joined, entry.userKey()), k -> new ArrayList<>()).add(entry);
        }
        return new ArrayList<>(groups.values());
    }

    private static String root(Map<String, String> joined, String key) {
        String at = key;
        for (String next = joined.get(at); next != null && !next.equals(at); next = joined.get(at)) {
            at = next;
        }
        return at;
    }

    /** One user's calls in order; a call that fails holds back the user's later ones. Returns how many settled. */
    private int applyUser(List<TrackingInbox.Entry> calls, AtomicBoolean outage) {
        Set<String> heldBack = new HashSet<>();
        int settled = 0;
        for (TrackingInbox.Entry entry : calls) {
            if (outage.get()) {
                break;
            }
            if (heldBack.contains(entry.userKey())) {
                continue;
            }
            TrackingCall call = callOf(entry);
            if (waitsForItsPreviousId(entry, call)) {
                heldBack.add(entry.userKey());
                continue;
            }
            try {
                TrackingApplier.Result result = applier.apply(call);
                switch (result.kind()) {
                    case APPLIED -> {
                        inbox.settled(entry, "applied", result.intercomId(), result.note());
                        meters.applied(entry.type());
                    }
                    case SKIPPED -> {
                        inbox.settled(entry, "skipped", null, result.note());
                        meters.skipped(entry.type(), skipReason(result.note()));
                    }
                    case REJECTED -> deadLetter(entry, call, entry.attempts() + 1,
                            "Intercom refused it: " + result.note());
                }
                settled++;
                outageAttempts = 0;
            } catch (IntercomException e) {
                if (refusesTheCall(e)) {
                    deadLetter(entry, call, entry.attempts() + 1, "Intercom refused it: " + e.getMessage());
                    settled++;
                    continue;
                }
                // the service or the app, not this call: everyone waits
                heldBack.add(entry.userKey());
                if (failed(entry, call, e)) {
                    settled++;
                }
                if (outage.compareAndSet(false, true)) {
                    int attempt = ++outageAttempts;
                    pausedUntil = clock.millis() + backoff.delay(attempt).toMillis();
                    log.warn("Intercom unavailable ({}): tracking calls wait {} before the next try", e.getMessage(),
                            backoff.delay(attempt));
                }
                break;
            } catch (RuntimeException e) {
                heldBack.add(entry.userKey());
                log.warn("Tracking call {} ({}) failed, attempt {}", entry.messageId(), entry.type(),
                        entry.attempts() + 1, e);
                if (failed(entry, call, e)) {
                    settled++;
                }
            }
        }
        return settled;
    }

    /**
     * An alias merges the lead of its previousId, another user than its own: it waits, as a call of that user, until
     * that user's earlier calls are applied (the identify that makes the lead, sent in the same batch, may not be).
     */
    private boolean waitsForItsPreviousId(TrackingInbox.Entry entry, TrackingCall call) {
        String previousId = "alias".equals(entry.type()) ? TrackingCall.idText(call.body().get("previousId")) : null;
        return previousId != null && inbox.earlierPending(entry.seq(),
                List.of(TrackingCall.userKey(null, previousId), TrackingCall.userKey(previousId, null)));
    }

    /**
     * A 4xx answer other than 401, 403 and 429 thrown by a lookup (the writer's own writes report those as
     * rejections) refuses this call, not the service: it is dead-lettered, not retried.
     */
    static boolean refusesTheCall(IntercomException e) {
        return e instanceof IntercomApiException api && !(e instanceof IntercomAccessDeniedException)
                && api.status() >= 400 && api.status() < 500 && api.status() != 401 && api.status() != 403
                && api.status() != 429;
    }

    /** Counts a failed try; true when it was the last one and the call is dead-lettered. */
    private boolean failed(TrackingInbox.Entry entry, TrackingCall call, RuntimeException error) {
        int attempts = entry.attempts() + 1;
        String reason = error.getMessage() == null ? error.toString() : error.getMessage();
        meters.failed(reason);
        if (attempts >= settings.maxAttempts()) {
            deadLetter(entry, call, attempts, "still failing after " + attempts + " attempts: " + reason);
            return true;
        }
        inbox.failed(entry, attempts, clock.millis() + backoff.delay(attempts).toMillis(), reason);
        return false;
    }

    private void deadLetter(TrackingInbox.Entry entry, TrackingCall call, int attempts, String reason) {
        deadLetters.add(DEAD_LETTER_BRANCH, letterOf(call), attempts, reason, entry.firstFailedAt());
        inbox.settled(entry, "dead_lettered", null, reason);
        meters.deadLettered(entry.type());
        log.warn("Tracking {} call {} dead-lettered after {} attempt(s): {}", entry.type(), entry.messageId(),
                attempts, reason);
    }

    /** Group calls whose user was not in Intercom: attached once it is, given up on after tracking.attach-wait. */
    private void retryWaitingAttachments() {
        List<TrackingInbox.Attachment> waiting = inbox.dueAttachments(settings.batchSize());
        for (TrackingInbox.Attachment attachment : waiting) {
            String error;
            try {
                if (applier.attachWaiting(attachment)) {
                    inbox.attachmentDone(attachment);
                    continue;
                }
                error = "the user is not in Intercom";
            } catch (IntercomException e) {
                return; // Intercom unavailable: the next round tries again
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
            if (clock.millis() - attachment.createdAt() >= settings.attachWait().toMillis()) {
                ObjectNode call = json.createObjectNode().put("type", "group").put("messageId", attachment.messageId())
                        .put("groupId", attachment.groupId());
                if (attachment.userId() != null) {
                    call.put("userId", attachment.userId());
                }
                deadLetters.add(DEAD_LETTER_BRANCH, letterOf(new TrackingCall(attachment.messageId(), "group",
                        attachment.userKey(), call)), attachment.attempts() + 1,
                        "attach to company " + attachment.groupId() + ": " + error + " after "
                                + settings.attachWait(), attachment.createdAt());
                inbox.attachmentDone(attachment);
                meters.deadLettered("group");
            } else {
                inbox.attachmentWaits(attachment, clock.millis()
                        + backoff.delay(attachment.attempts() + 1).toMillis(), error);
            }
        }
        if (!waiting.isEmpty()) {
            meters.attachmentsChanged();
        }
    }

    // ------------------------------------------------------------------ warehouse and analytics

    /** The next calls for the fan-out, with their canonical records (identifies, groups, tracks). */
    public FanoutBatch nextFanout() {
        List<TrackingInbox.Entry> entries = inbox.notFannedOut(settings.batchSize());
        return new FanoutBatch(entries, entries.stream().map(e -> TrackingRecords.of(callOf(e)))
                .filter(java.util.Objects::nonNull).toList());
    }

    /** After direct:fanout returned: the warehouse has the calls and the analytics queue holds its share. */
    public void fannedOut(FanoutBatch batch) {
        if (!batch.entries().isEmpty()) {
            inbox.fannedOut(batch.entries());
        }
    }

    /**
     * Calls taken for the fan-out, and their records (page, screen and alias calls have none). A class, not a record:
     * the route calls its methods through Camel's simple language, which caches bean information by the instance,
     * and a record's hash would walk every call's body on each look-up.
     */
    public static final class FanoutBatch {
        private final List<TrackingInbox.Entry> entries;
        private final List<CanonicalRecord> records;

        public FanoutBatch(List<TrackingInbox.Entry> entries, List<CanonicalRecord> records) {
            this.entries = entries;
            this.records = records;
        }

        public List<TrackingInbox.Entry> entries() {
            return entries;
        }

        public List<CanonicalRecord> records() {
            return records;
        }

        public boolean hasCalls() {
            return !entries.isEmpty();
        }
    }

    // ------------------------------------------------------------------ helpers

    TrackingCall callOf(TrackingInbox.Entry entry) {
        try {
            return new TrackingCall(entry.messageId(), entry.type(), entry.userKey(),
                    (ObjectNode) json.readTree(entry.body()));
        } catch (IOException e) {
            throw new UncheckedIOException("inbox row " + entry.seq() + " is not JSON", e);
        }
    }

    /** A dead letter's record: the call itself, so a replay applies it again. */
    static CanonicalRecord letterOf(TrackingCall call) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("call", call.body());
        row.put("user_key", call.userKey());
        return new CanonicalRecord(TABLES.getOrDefault(call.type(), call.type()), call.messageId(),
                CanonicalRecord.Operation.UPSERT, CanonicalRecord.Source.TRACKING, null, row, Map.of());
    }

    static TrackingCall callOf(CanonicalRecord letter) {
        JsonNode call = (JsonNode) letter.row().get("call");
        return new TrackingCall(letter.id(), call.path("type").asText(), (String) letter.row().get("user_key"),
                (ObjectNode) call);
    }

    private static String skipReason(String note) {
        if (note == null) {
            return "unknown";
        }
        int colon = note.indexOf(':');
        return (colon < 0 ? note : note.substring(0, colon)).trim();
    }

    private void purgeWhenDue() {
        long now = clock.millis();
        if (now - lastPurge >= PURGE_EVERY_MILLIS) {
            lastPurge = now;
            int purged = inbox.purgeBefore(now - settings.retention().toMillis());
            if (purged > 0) {
                log.info("Dropped {} applied tracking calls older than {}", purged, settings.retention());
            }
        }
    }

    Duration pauseLeft() {
        return Duration.ofMillis(Math.max(0, pausedUntil - clock.millis()));
    }
}

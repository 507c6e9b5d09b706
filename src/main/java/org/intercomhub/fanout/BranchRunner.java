package org.intercomhub.fanout;

import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.retry.Backoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Takes each branch's due outbox rows and settles them once the branch's route delivered them (routes/analytics.camel.yaml
 * and routes/crm.camel.yaml: due, then the endpoint, then settle), and replays dead letters. Failures are settled per record: retried with exponential backoff (the row's next attempt
 * time, so no thread sleeps and no other branch waits), paused when throttled, dead-lettered after the last attempt
 * or at once when the endpoint refuses the record for good.
 */
public class BranchRunner {

    private static final Logger log = LoggerFactory.getLogger(BranchRunner.class);

    /** Retry policy of the branches. */
    public record Policy(int batchSize, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    }

    private final Map<String, Branch> branches = new LinkedHashMap<>();
    private final BranchOutbox outbox;
    private final DeadLetters deadLetters;
    private final BranchMeters meters;
    private final Policy policy;
    private final Clock clock;
    private static final long NOT_YIELDING = Long.MIN_VALUE;
    private BooleanSupplier pullsRunning = () -> false;
    private Duration maxYield = Duration.ZERO;
    private volatile long yieldingSince = NOT_YIELDING;

    public BranchRunner(List<Branch> branches, BranchOutbox outbox, DeadLetters deadLetters, BranchMeters meters,
                        Policy policy, Clock clock) {
        branches.forEach(b -> this.branches.put(b.name(), b));
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * The rows of a branch that are due now, at most {@code fanout.batch-size}, earliest first: what the branch's
     * route takes from its queue on each round.
     */
    public static final class Due {
        private final String branch;
        private final List<BranchOutbox.Entry> entries;
        private final boolean full;

        Due(String branch, List<BranchOutbox.Entry> entries, boolean full) {
            this.branch = branch;
            this.entries = entries;
            this.full = full;
        }

        public String getBranch() {
            return branch;
        }

        /** The queued records, in queue order: the body the branch's route delivers. */
        public List<CanonicalRecord> getRecords() {
            return entries.stream().map(BranchOutbox.Entry::record).toList();
        }

        public List<BranchOutbox.Entry> getEntries() {
            return entries;
        }

        /** A whole batch was due: more may be waiting. */
        public boolean isFull() {
            return full;
        }

        public boolean isEmpty() {
            return entries.isEmpty();
        }
    }

    /**
     * Branches wait while {@code pullsRunning} says this instance pulls, {@code atMost} at a time (zero: never wait):
     * on a few cores their deliveries would take the pull's CPU, and the warehouse is the destination that has to be
     * complete first. Their records stay queued meanwhile; nothing is lost, only delivered later.
     */
    public void yieldToPulls(BooleanSupplier pullsRunning, Duration atMost) {
        this.pullsRunning = pullsRunning;
        this.maxYield = atMost;
    }

    /**
     * Whether the branches wait now: pulls are running and they have waited less than {@code fanout.yield-to-pulls}
     * since they began to. After that they deliver until no pull runs, so a long pull delays them by that at most.
     */
    public boolean yieldingToPulls() {
        if (maxYield.isZero() || !pullsRunning.getAsBoolean()) {
            yieldingSince = NOT_YIELDING;
            return false;
        }
        long now = clock.millis();
        if (yieldingSince == NOT_YIELDING) {
            yieldingSince = now;
        }
        return now - yieldingSince < maxYield.toMillis();
    }

    /** What {@link #yieldingToPulls} last decided, still true now (the status's view; changes nothing). */
    public boolean isYieldingToPulls() {
        long since = yieldingSince;
        return since != NOT_YIELDING && !maxYield.isZero() && pullsRunning.getAsBoolean()
                && clock.millis() - since < maxYield.toMillis();
    }

    /** Takes the branch's due outbox rows (called by the branch's route); none while it yields to pulls. */
    public Due due(String branchName) {
        branch(branchName);
        if (yieldingToPulls()) {
            return new Due(branchName, List.of(), false);
        }
        List<BranchOutbox.Entry> due = outbox.due(branchName, policy.batchSize());
        return new Due(branchName, due, due.size() >= policy.batchSize());
    }

    /** Takes the branch's due outbox rows, delivers them once and settles each; returns how many were taken. */
    public int drain(String branchName) {
        Due due = due(branchName);
        if (due.isEmpty()) {
            return 0;
        }
        return settle(due, branch(branchName).deliver(due.getRecords()));
    }

    /**
     * Settles each due row by the outcome of its record (called by the branch's route after the endpoint answered):
     * delivered and dropped rows leave the queue, paused ones wait, failed ones are retried with backoff or become
     * dead letters. One transaction: a record is never both a dead letter and still queued (it would be sent again
     * and replayed too). Returns how many rows were settled.
     */
    public int settle(Due due, List<Outcome> outcomes) {
        int settled;
        try {
            settled = outbox.inOneTransaction(() -> settleRows(due, outcomes));
        } catch (RuntimeException e) {
            // rolled back: the rows stay queued, and free for the next take rather than until their lease ends
            outbox.release(due.getEntries());
            throw e;
        }
        meters.queueChanged(due.getBranch()); // committed: the queue gauges read it afresh
        return settled;
    }

    private int settleRows(Due due, List<Outcome> outcomes) {
        String branchName = due.getBranch();
        List<BranchOutbox.Entry> entries = due.getEntries();
        if (outcomes.size() != entries.size()) {
            throw new IllegalStateException(branchName + ": " + outcomes.size() + " outcomes for " + entries.size()
                    + " records");
        }
        List<String> done = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            BranchOutbox.Entry entry = entries.get(i);
            Outcome outcome = outcomes.get(i);
            switch (outcome.kind()) {
                case DELIVERED -> {
                    done.add(entry.id());
                    meters.sent(branchName, 1);
                }
                case DROPPED -> {
                    done.add(entry.id());
                    meters.dropped(branchName, outcome.detail());
                }
                case PAUSED -> {
                    meters.throttled(branchName, 1);
                    outbox.reschedule(entry, entry.attempts(), clock.millis() + outcome.delay().toMillis(),
                            outcome.detail());
                }
                case RETRY -> {
                    int attempts = entry.attempts() + 1;
                    meters.failed(branchName, 1, outcome.detail());
                    if (attempts >= policy.maxAttempts()) {
                        deadLetter(entry, attempts, outcome.detail());
                        done.add(entry.id());
                    } else {
                        long backoff = backoff(attempts).toMillis();
                        long delay = outcome.delay() != null ? Math.max(backoff, outcome.delay().toMillis()) : backoff;
                        outbox.reschedule(entry, attempts, clock.millis() + delay, outcome.detail());
                    }
                }
                case DEAD -> {
                    meters.failed(branchName, 1, outcome.detail());
                    deadLetter(entry, entry.attempts() + 1, outcome.detail());
                    done.add(entry.id());
                }
            }
        }
        outbox.remove(done);
        return entries.size();
    }

    private void deadLetter(BranchOutbox.Entry entry, int attempts, String error) {
        deadLetters.add(entry, attempts, error);
        meters.deadLettered(entry.branch(), 1);
        log.warn("{}: {} {} dead-lettered after {} attempt(s): {}", entry.branch(), entry.record().collection(),
                entry.record().id(), attempts, error);
    }

    /** Initial backoff doubled per attempt, capped. */
    Duration backoff(int attempts) {
        return new Backoff(policy.initialBackoff(), policy.maxBackoff()).delay(attempts);
    }

    /**
     * A destination outside the outbox whose dead letters this runner replays too (the tracking API's Intercom
     * writes): its letters go through {@code POST /dead-letters/replay} like a branch's.
     */
    public void addReplayTarget(ReplayTarget target) {
        branches.putIfAbsent(target.name(), target);
    }

    /**
     * Sends dead letters through their branch once more; a letter leaves the table only when its record was
     * delivered (or is now dropped, e.g. a user id that became invalid), else it stays with the new error.
     */
    public Map<String, Object> replay(List<DeadLetters.Letter> letters) {
        Map<String, List<DeadLetters.Letter>> byBranch = new LinkedHashMap<>();
        letters.forEach(l -> byBranch.computeIfAbsent(l.branch(), b -> new ArrayList<>()).add(l));
        int delivered = 0;
        int failed = 0;
        List<Map<String, Object>> stillFailing = new ArrayList<>();
        for (Map.Entry<String, List<DeadLetters.Letter>> group : byBranch.entrySet()) {
            Branch branch = branches.get(group.getKey());
            List<DeadLetters.Letter> batch = group.getValue();
            List<Outcome> outcomes;
            if (branch == null) {
                outcomes = batch.stream().map(l -> Outcome.retry("no branch named " + l.branch())).toList();
            } else {
                List<CanonicalRecord> records = batch.stream().map(l -> RecordJson.read(l.record())).toList();
                outcomes = branch.deliver(records);
            }
            for (int i = 0; i < batch.size(); i++) {
                DeadLetters.Letter letter = batch.get(i);
                Outcome outcome = outcomes.get(i);
                if (outcome.kind() == Outcome.Kind.DELIVERED || outcome.kind() == Outcome.Kind.DROPPED) {
                    deadLetters.remove(letter.id());
                    delivered++;
                    meters.replayed(letter.branch(), 1);
                    if (outcome.kind() == Outcome.Kind.DELIVERED) {
                        meters.sent(letter.branch(), 1);
                    } else {
                        meters.dropped(letter.branch(), outcome.detail());
                    }
                } else {
                    deadLetters.failedAgain(letter.id(), outcome.detail());
                    failed++;
                    stillFailing.add(Map.of("id", letter.id(), "error", String.valueOf(outcome.detail())));
                }
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("selected", letters.size());
        result.put("delivered", delivered);
        result.put("still_failing", failed);
        result.put("failures", stillFailing);
        return result;
    }

    private Branch branch(String name) {
        Branch branch = branches.get(name);
        if (branch == null) {
            throw new IllegalArgumentException("no branch named " + name + "; known: " + branches.keySet());
        }
        return branch;
    }
}

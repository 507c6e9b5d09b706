package org.intercomhub.tracking;

import org.intercomhub.fanout.Branch;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.intercom.IntercomException;
import org.intercomhub.record.CanonicalRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The tracking calls' dead letters, replayed through {@code POST /dead-letters/replay} (branch {@code tracking}):
 * each call is applied to Intercom again, on its own (its user's later calls did not wait for it). Never fed from the
 * outbox: the inbox is this destination's queue.
 */
public class TrackingReplay implements Branch {

    private final TrackingApplier applier;

    public TrackingReplay(TrackingApplier applier) {
        this.applier = applier;
    }

    @Override
    public String name() {
        return TrackingProcessor.DEAD_LETTER_BRANCH;
    }

    @Override
    public boolean accepts(CanonicalRecord record) {
        return false;
    }

    @Override
    public List<Outcome> deliver(List<CanonicalRecord> records) {
        List<Outcome> outcomes = new ArrayList<>(records.size());
        for (CanonicalRecord record : records) {
            try {
                TrackingApplier.Result result = applier.apply(TrackingProcessor.callOf(record));
                outcomes.add(switch (result.kind()) {
                    case APPLIED -> Outcome.delivered();
                    case SKIPPED -> Outcome.dropped(result.note());
                    case REJECTED -> Outcome.dead("Intercom refused it: " + result.note());
                });
            } catch (IntercomException e) {
                outcomes.add(TrackingProcessor.refusesTheCall(e)
                        ? Outcome.dead("Intercom refused it: " + e.getMessage())
                        : Outcome.retry("Intercom unavailable: " + e.getMessage()));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.retry(e.toString()));
            }
        }
        return outcomes;
    }
}

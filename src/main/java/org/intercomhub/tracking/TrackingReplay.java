package org.intercomhub.tracking;

import org.intercomhub.fanout.ReplayTarget;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.intercom.IntercomException;
import org.intercomhub.record.CanonicalRecord;


/**
 * The tracking calls' dead letters, replayed through {@code POST /dead-letters/replay} (branch {@code tracking}):
 * each call is applied to Intercom again, on its own (its user's later calls did not wait for it). Never fed from the
 * outbox: the inbox is this destination's queue.
 */
public class TrackingReplay extends ReplayTarget {

    private final TrackingApplier applier;

    public TrackingReplay(TrackingApplier applier) {
        super(TrackingProcessor.DEAD_LETTER_BRANCH);
        this.applier = applier;
    }

    @Override
    protected Outcome replay(CanonicalRecord letter) {
        TrackingApplier.Result result = applier.apply(TrackingProcessor.callOf(letter));
        return switch (result.kind()) {
            case APPLIED -> Outcome.delivered();
            case SKIPPED -> Outcome.dropped(result.note());
            case REJECTED -> Outcome.dead("Intercom refused it: " + result.note());
        };
    }

    @Override
    protected boolean refuses(IntercomException e) {
        return TrackingProcessor.refusesTheCall(e);
    }
}

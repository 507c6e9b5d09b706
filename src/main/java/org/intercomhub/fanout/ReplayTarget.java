package org.intercomhub.fanout;

import org.intercomhub.intercom.IntercomException;
import org.intercomhub.record.CanonicalRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * A destination whose dead letters are listed and replayed with the branches' ({@code POST /dead-letters/replay})
 * but which is never fed from the outbox (the tracking inbox, a push sync's model): it accepts no record, and
 * replays its letters one by one. Intercom being unavailable, or any other failure, leaves a letter for the next
 * replay.
 */
public abstract class ReplayTarget implements Branch {

    private final String name;

    protected ReplayTarget(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean accepts(CanonicalRecord record) {
        return false;
    }

    @Override
    public List<Outcome> deliver(List<CanonicalRecord> letters) {
        List<Outcome> outcomes = new ArrayList<>(letters.size());
        for (CanonicalRecord letter : letters) {
            try {
                outcomes.add(replay(letter));
            } catch (IntercomException e) {
                outcomes.add(refuses(e) ? Outcome.dead("Intercom refused it: " + e.getMessage())
                        : Outcome.retry("Intercom unavailable: " + e.getMessage()));
            } catch (RuntimeException e) {
                outcomes.add(Outcome.retry(e.toString()));
            }
        }
        return outcomes;
    }

    /** Writes one letter again. */
    protected abstract Outcome replay(CanonicalRecord letter);

    /** Whether this failure is Intercom refusing the letter for good rather than being unavailable. */
    protected boolean refuses(IntercomException e) {
        return false;
    }
}

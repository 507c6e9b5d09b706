package org.intercomhub.tracking;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Commits a request's calls to the inbox and counts them; a database that cannot take them is answered 503. */
public class TrackingReceiver {

    private static final Logger log = LoggerFactory.getLogger(TrackingReceiver.class);

    private final TrackingInbox inbox;
    private final TrackingMeters meters;

    public TrackingReceiver(TrackingInbox inbox, TrackingMeters meters) {
        this.inbox = inbox;
        this.meters = meters;
    }

    /** Returns once the calls are committed; calls whose messageId is already there are not stored again. */
    public void store(Exchange exchange) {
        List<TrackingCall> calls = TrackingRequests.calls(exchange);
        List<TrackingCall> stored;
        try {
            stored = inbox.store(calls);
        } catch (DataAccessException e) {
            log.warn("Tracking inbox could not be written; {} call(s) answered 503 (clients retry): {}", calls.size(),
                    e.getMostSpecificCause().toString());
            throw new TrackingRejectedException(TrackingRejectedException.Reason.INBOX_UNAVAILABLE,
                    "the inbox cannot be written now; retry later");
        }
        Map<String, Integer> byType = new TreeMap<>();
        stored.forEach(call -> byType.merge(call.type(), 1, Integer::sum));
        byType.forEach(meters::received);
        if (stored.size() < calls.size()) {
            meters.duplicates(calls.size() - stored.size());
        }
        exchange.setProperty(TrackingRequests.STORED, stored.size());
    }
}

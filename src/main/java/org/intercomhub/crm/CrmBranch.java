package org.intercomhub.crm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.fanout.RoutedBranch;
import org.intercomhub.record.CanonicalRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The CRM branch: one records-API call per record (the contract has no batch endpoint), made by routes/crm.camel.yaml,
 * in parallel lanes: one lane per user or account key, whose calls go in order (an upsert and a delete of one user
 * never overtake each other), different lanes at once (crm.concurrency). This bean maps the records to
 * calls ({@link #calls}) and judges each answer the route's HTTP endpoint got ({@link #answered}, {@link #failed}):
 * 2xx delivered; 404 in update_only mode means the CRM does not know the record (dropped, counted: update_only never
 * creates); 404 on a delete means already gone; 429 pauses the rest of the batch for Retry-After; 5xx and network
 * errors are retried with backoff; other 4xx are dead letters with the response body. A record the route leaves out
 * (a {@code filter} a user added) is dropped and counted.
 */
public class CrmBranch extends RoutedBranch {

    public static final String NAME = "crm";
    /** The registry name of the call threads, as routes/crm.camel.yaml names them. */
    static final String CALL_THREADS = "crmCalls";
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);
    /** The drop reason of records a step of routes/crm.camel.yaml did not let through. */
    public static final String LEFT_OUT = "left out by routes/crm.camel.yaml";

    private final CrmSettings settings;
    private final CrmMapper mapper;

    public CrmBranch(CrmSettings settings) {
        this.settings = settings;
        this.mapper = new CrmMapper(settings);
    }

    /**
     * Binds {@code crmCalls} in {@code camel}'s registry: the threads routes/crm.camel.yaml makes its records-API calls
     * on (its lanes' split's executorService; not a Spring bean, which would replace Spring Boot's task executor),
     * {@code concurrency} of them. Its queue holds a batch's lanes (at most fanout.batch-size), in memory already.
     */
    public static void bindCallThreads(CamelContext camel, int concurrency) {
        ThreadPoolProfile profile = new ThreadPoolProfile(CALL_THREADS);
        profile.setPoolSize(concurrency);
        profile.setMaxPoolSize(concurrency);
        profile.setMaxQueueSize(-1);
        camel.getRegistry().bind(CALL_THREADS,
                camel.getExecutorServiceManager().newThreadPool(CrmBranch.class, CALL_THREADS, profile));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean accepts(CanonicalRecord record) {
        return mapper.accepts(record);
    }

    @Override
    public CanonicalRecord queued(CanonicalRecord record) {
        return mapper.queued(record);
    }

    /** One delivery of a list of records: the calls to make, in order, and the outcome of each record. */
    public static final class Delivery {
        // written by the lanes' threads, read by the route's once they all returned
        private final AtomicReferenceArray<Outcome> outcomes;
        private final List<Call> calls = new ArrayList<>();
        private volatile Outcome pause;

        Delivery(int size) {
            this.outcomes = new AtomicReferenceArray<>(size);
        }

        public List<Call> getCalls() {
            return calls;
        }

        /** The calls by record key, each key's in batch order: the lanes the route runs in parallel. */
        public List<List<Call>> getLanes() {
            Map<String, List<Call>> lanes = new LinkedHashMap<>();
            calls.forEach(call -> lanes.computeIfAbsent(call.request.key(), k -> new ArrayList<>()).add(call));
            return new ArrayList<>(lanes.values());
        }

        /** A 429 came: the calls not made yet wait for Retry-After (the limit is the API key's). */
        public boolean isPaused() {
            return pause != null;
        }

        /** One outcome per record, in order; a call the route did not make is paused (after a 429) or left out. */
        public List<Outcome> outcomes() {
            List<Outcome> all = new ArrayList<>(outcomes.length());
            for (int i = 0; i < outcomes.length(); i++) {
                Outcome outcome = outcomes.get(i);
                all.add(outcome != null ? outcome : pause != null ? pause : Outcome.dropped(LEFT_OUT));
            }
            return all;
        }
    }

    /** One records-API call: the route sends {@link #getPayload()} (none for a delete) to {@link #getPath()}. */
    public static final class Call {
        private final Delivery delivery;
        private final int index;
        private final CanonicalRecord record;
        private final CrmMapper.Request request;

        Call(Delivery delivery, int index, CanonicalRecord record, CrmMapper.Request request) {
            this.delivery = delivery;
            this.index = index;
            this.record = record;
            this.request = request;
        }

        /** POST, PATCH or DELETE. */
        public String getMethod() {
            return request.method();
        }

        /** Below crm.base-url, e.g. /models/user/records. */
        public String getPath() {
            return request.path();
        }

        /** The JSON body; null for a delete. */
        public ObjectNode getPayload() {
            return request.body();
        }

        /** The Intercom record the call is made for: its collection (contacts, companies) and columns. */
        public CanonicalRecord getRecord() {
            return record;
        }

        public String getCollection() {
            return record.collection();
        }

        /** The record's columns as the warehouse has them: {@code ${body.row[email]}}, {@code ${body.row[role]}}. */
        public Map<String, Object> getRow() {
            return record.row();
        }

        /** The JSON properties sent for the record (empty for a delete): {@code ${body.properties[email]}}. */
        public Map<String, Object> getProperties() {
            Map<String, Object> properties = new java.util.LinkedHashMap<>();
            if (request.body() != null) {
                request.body().fields().forEachRemaining(f -> properties.put(f.getKey(),
                        f.getValue().isValueNode() ? f.getValue().asText() : f.getValue()));
            }
            return properties;
        }
    }

    /** Maps the records to calls; those without a key are dropped, those that cannot be mapped are dead letters. */
    public Delivery calls(List<CanonicalRecord> records) {
        Delivery delivery = new Delivery(records.size());
        for (int i = 0; i < records.size(); i++) {
            CanonicalRecord record = records.get(i);
            CrmMapper.Request request;
            try {
                request = mapper.map(record);
            } catch (RuntimeException e) {
                delivery.outcomes.set(i, Outcome.dead("cannot map " + record.collection() + " " + record.id() + ": " + e));
                continue;
            }
            if (request.skipped()) {
                delivery.outcomes.set(i, Outcome.dropped(request.skipReason()));
                continue;
            }
            delivery.calls.add(new Call(delivery, i, record, request));
        }
        return delivery;
    }

    /** The CRM answered {@code call} with {@code status}, {@code body} and (on a 429) {@code retryAfter}. */
    public void answered(Call call, int status, String body, String retryAfter) {
        Outcome outcome = outcome(call, status, body, retryAfter);
        call.delivery.outcomes.set(call.index, outcome);
        if (outcome.kind() == Outcome.Kind.PAUSED) {
            call.delivery.pause = outcome;
        }
    }

    /** The call got no answer (connection refused, timeout): retried with backoff. */
    public void failed(Call call, Exception error) {
        call.delivery.outcomes.set(call.index, Outcome.retry(call.getMethod() + " " + call.getPath() + ": " + error));
    }

    private Outcome outcome(Call call, int code, String body, String retryAfter) {
        String what = call.getMethod() + " " + call.getPath() + " -> " + code;
        if (code >= 200 && code < 300) {
            return Outcome.delivered();
        }
        if (code == 404 && call.getMethod().equals("DELETE")) {
            return Outcome.delivered();
        }
        if (code == 404 && settings.mode() == CrmSettings.Mode.UPDATE_ONLY) {
            return Outcome.dropped("not in the CRM (update_only)");
        }
        if (code == 429) {
            return Outcome.paused(what, retryAfter(retryAfter));
        }
        if (code >= 500) {
            return Outcome.retry(what + ": " + abbreviate(body));
        }
        return Outcome.dead(what + ": " + abbreviate(body));
    }

    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return DEFAULT_RETRY_AFTER;
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
    }
}

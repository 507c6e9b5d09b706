package org.intercomhub.crm;

import org.intercomhub.fanout.Branch;
import org.intercomhub.fanout.Outcome;
import org.intercomhub.record.CanonicalRecord;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The CRM branch: one records-API call per record. 2xx delivered; 404 in update_only mode means the CRM does not
 * know the record (dropped, counted: update_only never creates); 404 on a delete means already gone; 429 pauses the
 * rest of the batch for Retry-After; 5xx and network errors are retried with backoff; other 4xx are dead letters
 * with the response body.
 */
public class CrmBranch implements Branch {

    public static final String NAME = "crm";
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    private final CrmSettings settings;
    private final CrmMapper mapper;
    private final HttpClient http;

    public CrmBranch(CrmSettings settings) {
        this.settings = settings;
        this.mapper = new CrmMapper(settings);
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
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
    public List<Outcome> deliver(List<CanonicalRecord> records) {
        List<Outcome> outcomes = new ArrayList<>(records.size());
        Outcome pauseRest = null;
        for (CanonicalRecord record : records) {
            if (pauseRest != null) {
                outcomes.add(pauseRest);
                continue;
            }
            Outcome outcome = send(record);
            if (outcome.kind() == Outcome.Kind.PAUSED) {
                pauseRest = outcome; // the limit is the API key's: stop until Retry-After
            }
            outcomes.add(outcome);
        }
        return outcomes;
    }

    private Outcome send(CanonicalRecord record) {
        CrmMapper.Request request;
        try {
            request = mapper.map(record);
        } catch (RuntimeException e) {
            return Outcome.dead("cannot map " + record.collection() + " " + record.id() + ": " + e);
        }
        if (request.skipped()) {
            return Outcome.dropped(request.skipReason());
        }
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body().toString(), StandardCharsets.UTF_8);
        HttpRequest http = HttpRequest.newBuilder(URI.create(settings.baseUrl() + request.path()))
                .timeout(settings.timeout())
                .header("Authorization", "Token " + settings.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(request.method(), body)
                .build();
        HttpResponse<String> response;
        try {
            response = this.http.send(http, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.retry("interrupted");
        } catch (Exception e) {
            return Outcome.retry(request.method() + " " + request.path() + ": " + e);
        }
        int code = response.statusCode();
        String what = request.method() + " " + request.path() + " -> " + code;
        if (code >= 200 && code < 300) {
            return Outcome.delivered();
        }
        if (code == 404 && request.method().equals("DELETE")) {
            return Outcome.delivered();
        }
        if (code == 404 && settings.mode() == CrmSettings.Mode.UPDATE_ONLY) {
            return Outcome.dropped("not in the CRM (update_only)");
        }
        if (code == 429) {
            return Outcome.paused(what, retryAfter(response));
        }
        if (code >= 500) {
            return Outcome.retry(what + ": " + abbreviate(response.body()));
        }
        return Outcome.dead(what + ": " + abbreviate(response.body()));
    }

    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
            } catch (NumberFormatException e) {
                return DEFAULT_RETRY_AFTER;
            }
        }).orElse(DEFAULT_RETRY_AFTER);
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 2000 ? body.substring(0, 2000) + "..." : body;
    }
}

package org.intercomhub.intercom;

import org.intercomhub.retry.Backoff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls Intercom's REST API for one app: authentication, version header, rate-limit pacing, retries and error
 * decoding. Thread-safe; share one instance (and its {@link RateLimiter}) between all pulls of the app.
 *
 * <p>Retries (exponential backoff with jitter, up to {@code maxRetries}) cover 5xx, 408, timeouts and dropped
 * connections. Reads (lists and searches are POSTs too) are safe to repeat. So are the writes {@link IntercomWriter}
 * sends: PUT, DELETE, archive and attach are idempotent, Intercom drops a repeated event (same contact, name and
 * created_at), and a repeated contact create meets a 409 naming the contact the first attempt made, which the writer
 * turns into an update. 429s wait for the window to reset and do not use up retries, but are bounded by
 * {@code maxRateLimitRetries}.
 */
public final class IntercomClient {

    private static final Logger log = LoggerFactory.getLogger(IntercomClient.class);

    private final IntercomSettings settings;
    private final Backoff backoff;
    private final RateLimiter rateLimiter;
    /** Connections kept open to Intercom: the pulls' detail calls, the writers and the probes at once. */
    static final int MAX_CONNECTIONS = 64;
    private static final ContentType JSON = ContentType.create("application/json");

    private final CloseableHttpClient http;
    private final ObjectMapper mapper;
    private final String scrollKey;
    private final AtomicLong requestCount = new AtomicLong();
    private final AtomicLong retryCount = new AtomicLong();
    /** The latest 401/403, until a later request succeeds: the {@code intercom} health indicator reads it. */
    private volatile IntercomAccessDeniedException accessDenied;

    public IntercomClient(IntercomSettings settings, RateLimiter rateLimiter) {
        this(settings, rateLimiter, new ObjectMapper());
    }

    public IntercomClient(IntercomSettings settings, RateLimiter rateLimiter, ObjectMapper mapper) {
        this.settings = settings;
        this.backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        this.rateLimiter = rateLimiter;
        this.mapper = mapper;
        // Apache HttpClient 5 (the library under camel-http) called directly, not a camel-http endpoint: every request
        // is paced one by one by the rate limiter (from the previous answer's X-RateLimit-* headers), retried with
        // its own budget and read by the pagers, from inside the beans the pull route calls. Its blocking client,
        // not the JDK's: a pull of 200,000 contacts spent a fifth of the hub's CPU in the JDK client's asynchronous
        // machinery and in compiling it (bench/README.md, pull-to-warehouse, 2026-12-03).
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(MAX_CONNECTIONS)
                        .setMaxConnPerRoute(MAX_CONNECTIONS)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries() // retries are execute()'s, with the rate limiter and the backoff
                .disableCookieManagement()
                .disableContentCompression()
                .build();
        this.scrollKey = ScrollPermits.appKey(settings);
    }

    public JsonNode get(String pathOrAbsoluteUrl) {
        return get(pathOrAbsoluteUrl, Map.of());
    }

    /**
     * GET a path under the base URL, or an absolute URL returned by Intercom (the {@code next} links of
     * {@code /events}), which must point at the same host so the token never leaves for another server.
     */
    public JsonNode get(String pathOrAbsoluteUrl, Map<String, String> query) {
        URI uri = resolve(pathOrAbsoluteUrl, query);
        return execute("GET", uri, null);
    }

    public JsonNode post(String path, JsonNode body) {
        return post(path, Map.of(), body);
    }

    public JsonNode post(String path, Map<String, String> query, JsonNode body) {
        return execute("POST", resolve(path, query), serialise(path, body));
    }

    private byte[] serialise(String path, JsonNode body) {
        try {
            return mapper.writeValueAsBytes(body == null ? mapper.createObjectNode() : body);
        } catch (IOException e) {
            throw new IntercomException("Could not serialise request body for " + path, e);
        }
    }

    /** PUT a JSON body (updates of contacts and companies). */
    public JsonNode put(String path, JsonNode body) {
        return execute("PUT", resolve(path, Map.of()), serialise(path, body));
    }

    /** DELETE a path; Intercom answers with a small reference of what went ({@code deleted: true}). */
    public JsonNode delete(String path) {
        return execute("DELETE", resolve(path, Map.of()), null);
    }

    /** Requests sent so far, retries included, for progress logs. */
    public long requestCount() {
        return requestCount.get();
    }

    /** Requests repeated after a 5xx, timeout or dropped connection. */
    public long retryCount() {
        return retryCount.get();
    }

    /** The 401 or 403 Intercom answered most recently, if no request succeeded since; null otherwise. */
    public IntercomAccessDeniedException accessDenied() {
        return accessDenied;
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    public IntercomSettings settings() {
        return settings;
    }

    public ObjectMapper objectMapper() {
        return mapper;
    }

    /** Identifies the Intercom app for the one-scroll-at-a-time rule, without holding the token itself. */
    String scrollKey() {
        return scrollKey;
    }

    private JsonNode execute(String method, URI uri, byte[] body) {
        int failures = 0;
        int throttles = 0;
        while (true) {
            ClassicHttpRequest request = buildRequest(method, uri, body);
            try {
                rateLimiter.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IntercomException("Interrupted while waiting for the Intercom rate limit", e);
            }
            Response response;
            requestCount.incrementAndGet();
            try {
                response = http.execute(request, IntercomClient.this::read);
            } catch (IOException e) {
                rateLimiter.onNoResponse();
                failures++;
                String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (failures > settings.maxRetries()) {
                    throw new IntercomUnavailableException(describe(method, uri) + " failed after " + failures
                            + " attempts: " + reason, e);
                }
                backOff(failures, method, uri, reason);
                continue;
            } catch (RuntimeException e) {
                rateLimiter.onNoResponse();
                throw e;
            }
            rateLimiter.onResponse(response.status(), response::header);
            int status = response.status();
            if (status >= 200 && status < 300) {
                accessDenied = null;
                if (response.notJson() != null) {
                    throw new IntercomException(describe(method, uri) + " returned a body that is not JSON",
                            response.notJson());
                }
                return response.json();
            }
            ErrorEnvelope error = ErrorEnvelope.parse(mapper, response.body());
            if (status == 429) {
                throttles++;
                if (throttles > settings.maxRateLimitRetries()) {
                    throw new IntercomApiException(status, error.code(), "still rate limited after " + throttles
                            + " waits for " + describe(method, uri), error.requestId());
                }
                log.warn("Intercom rate limit hit on {} ({}); waiting for the window to reset", describe(method, uri),
                        error.message());
                continue; // acquire() now waits until X-RateLimit-Reset
            }
            if (status == 401 || status == 403) {
                throw accessDenied = accessDenied(status, error, uri);
            }
            if (status >= 500 || status == 408) {
                IntercomApiException failure = new IntercomApiException(status, error.code(), error.message(),
                        error.requestId());
                if (failure.isScrollRestartRequired()) {
                    throw failure; // repeating the same scroll_param cannot succeed; the scroll pager restarts
                }
                failures++;
                if (failures > settings.maxRetries()) {
                    throw new IntercomUnavailableException(describe(method, uri) + " failed after " + failures
                            + " attempts: " + failure.getMessage(), failure);
                }
                backOff(failures, method, uri, "HTTP " + status);
                continue;
            }
            throw new IntercomApiException(status, error.code(), error.message(), error.requestId());
        }
    }

    private ClassicHttpRequest buildRequest(String method, URI uri, byte[] body) {
        ClassicRequestBuilder builder = ClassicRequestBuilder.create(method).setUri(uri)
                .addHeader("Authorization", "Bearer " + settings.accessToken())
                .addHeader("Accept", "application/json")
                .addHeader("Intercom-Version", settings.version())
                .addHeader("User-Agent", settings.userAgent());
        if (body != null) {
            builder.setEntity(body, JSON); // as Intercom documents it, no charset parameter
        }
        return builder.build();
    }

    /**
     * An answer read in full, so its connection goes back to the pool at once. A success is parsed as it arrives
     * (a search page is a few hundred kilobytes: copying it into an array first was a tenth of a pull's allocated
     * bytes); a body that is not JSON is kept as {@code notJson}, not thrown, so it is not retried as a broken
     * connection (an I/O error while reading is).
     */
    private Response read(ClassicHttpResponse answer) throws IOException {
        int status = answer.getCode();
        HttpEntity entity = answer.getEntity();
        if (status < 200 || status >= 300) {
            byte[] body = entity == null ? new byte[0] : EntityUtils.toByteArray(entity);
            return new Response(status, answer.getHeaders(), body, null, null);
        }
        if (entity == null) {
            return new Response(status, answer.getHeaders(), null, NullNode.getInstance(), null);
        }
        try (InputStream body = entity.getContent()) {
            JsonNode json = mapper.readTree(body);
            return new Response(status, answer.getHeaders(), null,
                    json == null || json.isMissingNode() ? NullNode.getInstance() : json, null);
        } catch (JsonProcessingException e) {
            return new Response(status, answer.getHeaders(), null, null, e);
        }
    }

    /** {@code body}: an error's bytes; {@code json}: a success's content (NullNode for none), or {@code notJson}. */
    private record Response(int status, Header[] headers, byte[] body, JsonNode json, JsonProcessingException notJson) {
        String header(String name) {
            for (Header header : headers) {
                if (header.getName().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return null;
        }
    }

    private IntercomAccessDeniedException accessDenied(int status, ErrorEnvelope error, URI uri) {
        if (status == 401) {
            String explanation = "access token invalid or revoked (check INTERCOM_ACCESS_TOKEN)"
                    + (error.message() == null ? "" : "; Intercom says: " + error.message());
            return new IntercomAccessDeniedException(status, error.code(), explanation, error.requestId(), null);
        }
        String path = pathUnderBase(uri);
        String permission;
        String explanation;
        if (!error.requiredPermissions().isEmpty()) {
            permission = String.join(", ", error.requiredPermissions());
            explanation = "the app lacks the permission \"" + permission + "\" needed for " + path;
        } else {
            permission = RequiredPermissions.inferFromPath(path);
            explanation = permission == null
                    ? "the app is not allowed to call " + path + " (check its permissions in the Developer Hub)"
                    : "the app probably lacks the permission \"" + permission + "\" needed for " + path
                            + " (inferred from the path)";
        }
        if (error.message() != null) {
            explanation += "; Intercom says: " + error.message();
        }
        return new IntercomAccessDeniedException(status, error.code(), explanation, error.requestId(), permission);
    }

    private void backOff(int failures, String method, URI uri, String reason) {
        retryCount.incrementAndGet();
        long delay = backoff.jittered(failures).toMillis();
        log.warn("{} failed ({}), retry {}/{} in {} ms", describe(method, uri), reason, failures,
                settings.maxRetries(), delay);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntercomException("Interrupted while backing off from " + describe(method, uri), e);
        }
    }

    URI resolve(String pathOrAbsoluteUrl, Map<String, String> query) {
        URI base = settings.effectiveBaseUrl();
        String url;
        if (pathOrAbsoluteUrl.startsWith("http://") || pathOrAbsoluteUrl.startsWith("https://")) {
            URI absolute = URI.create(pathOrAbsoluteUrl);
            if (!base.getHost().equalsIgnoreCase(absolute.getHost())) {
                throw new IntercomPaginationException("Refusing to follow " + absolute.getScheme() + "://"
                        + absolute.getHost() + ": not the Intercom host " + base.getHost());
            }
            // Keep the base URL's scheme and port: never send the token in clear to a link that says http.
            url = base.getScheme() + "://" + base.getRawAuthority() + absolute.getRawPath()
                    + (absolute.getRawQuery() == null ? "" : "?" + absolute.getRawQuery());
        } else {
            String path = pathOrAbsoluteUrl.startsWith("/") ? pathOrAbsoluteUrl : "/" + pathOrAbsoluteUrl;
            url = base.toString() + path;
        }
        if (query != null && !query.isEmpty()) {
            StringBuilder joined = new StringBuilder(url);
            char separator = url.contains("?") ? '&' : '?';
            for (Map.Entry<String, String> parameter : query.entrySet()) {
                if (parameter.getValue() == null) {
                    continue;
                }
                joined.append(separator)
                        .append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
                separator = '&';
            }
            url = joined.toString();
        }
        return URI.create(url);
    }

    private String pathUnderBase(URI uri) {
        String basePath = settings.effectiveBaseUrl().getRawPath();
        String path = uri.getRawPath();
        if (basePath != null && !basePath.isEmpty() && path.startsWith(basePath)) {
            path = path.substring(basePath.length());
        }
        return path.isEmpty() ? "/" : path;
    }

    /** Method and URL without the query: query strings can hold e-mail addresses. */
    private String describe(String method, URI uri) {
        return method + " " + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }

    @Override
    public String toString() {
        return "IntercomClient[" + settings.effectiveBaseUrl() + ", requests=" + requestCount.get() + "]";
    }
}

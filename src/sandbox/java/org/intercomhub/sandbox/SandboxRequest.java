package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A parsed API request: method, path, query parameters and (for POST) the JSON body. */
final class SandboxRequest {

    private final String method;
    private final String path;
    private final Map<String, String> query;
    private final byte[] body;
    private final String baseUrl;
    private JsonNode json;

    SandboxRequest(String method, String path, String rawQuery, byte[] body, String baseUrl) {
        this.method = method;
        this.path = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.query = parseQuery(rawQuery);
        this.body = body;
        this.baseUrl = baseUrl;
    }

    String method() { return method; }
    String path() { return path; }
    String baseUrl() { return baseUrl; }

    String param(String name) { return query.get(name); }

    /** This request's URL with page and per_page replaced: the {@code pages.next} link of page-number lists. */
    String urlForPage(int page, int perPage) {
        StringBuilder sb = new StringBuilder(baseUrl).append(path).append("?");
        query.forEach((k, v) -> {
            if (!k.equals("page") && !k.equals("per_page")) {
                sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&');
            }
        });
        return sb.append("page=").append(page).append("&per_page=").append(perPage).toString();
    }

    int intParam(String name, int defaultValue, int min, int max) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            return defaultValue;
        }
        return checkedInt(name, v, min, max);
    }

    static int checkedInt(String name, String v, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("parameter_invalid", name + " must be an integer");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest("parameter_invalid", name + " must be between " + min + " and " + max);
        }
        return n;
    }

    /** The JSON body, or a missing node when there is none. Malformed JSON is a 400. */
    JsonNode json() {
        if (json == null) {
            if (body == null || body.length == 0) {
                json = MissingNode.getInstance();
            } else {
                try {
                    json = SandboxWorkspace.MAPPER.readTree(body);
                } catch (IOException e) {
                    throw ApiException.badRequest("parameter_invalid", "the request body is not valid JSON");
                }
            }
        }
        return json;
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }
}

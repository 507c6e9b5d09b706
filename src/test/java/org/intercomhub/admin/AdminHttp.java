package org.intercomhub.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** Real HTTP calls to a running hub on loopback, with or without an Authorization header. */
final class AdminHttp {

    /** One management call and the status a right token gets. */
    record Call(String method, String path, String body, int authorizedStatus) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Every management call of the routes (sync-api, dead-letters); the actuator's are added where it runs. */
    static final List<Call> ROUTE_CALLS = List.of(
            new Call("GET", "/sync/status", null, 200),
            new Call("GET", "/sync/runs?limit=5", null, 200),
            new Call("POST", "/sync/tags", null, 202),
            new Call("GET", "/dead-letters", null, 200),
            new Call("GET", "/dead-letters?branch=crm&collection=contacts", null, 200),
            new Call("POST", "/dead-letters/replay", "{\"all\":true}", 200),
            // no push sync is declared in the shipped routes: the push API answers an admin 404
            new Call("POST", "/push/crm_users", null, 404),
            new Call("POST", "/push/crm_users/preview", null, 404));

    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    AdminHttp(int port) {
        this.port = port;
    }

    HttpResponse<String> send(Call call, String authorization) {
        return send(call.method(), call.path(), call.body(), authorization);
    }

    HttpResponse<String> send(String method, String path, String body, String authorization, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        }
    }
}

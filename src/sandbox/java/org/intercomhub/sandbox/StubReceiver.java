package org.intercomhub.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A destination stand-in on the loopback interface (plain JDK HttpServer): the base of the analytics and CRM stubs. */
public abstract class StubReceiver implements AutoCloseable {

    /** What a stub answers. */
    protected record Reply(int status, String body, Map<String, String> headers) {
        protected static Reply json(int status, String body) {
            return new Reply(status, body, Map.of());
        }
    }

    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;

    protected StubReceiver(String name, int port) {
        try {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            server = HttpServer.create(new InetSocketAddress(loopback, port), 256);
            AtomicInteger threads = new AtomicInteger();
            executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, name + "-stub-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(executor);
            server.createContext("/", this::handle);
            baseUrl = "http://" + loopback.getHostAddress() + ":" + server.getAddress().getPort();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " stub on port " + port, e);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    protected abstract Reply answer(String method, String path, Map<String, String> headers, byte[] body);

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k, v.isEmpty() ? "" : v.get(0)));
            Reply reply;
            try {
                reply = answer(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), headers, body);
            } catch (RuntimeException e) {
                reply = Reply.json(500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
            }
            byte[] out = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

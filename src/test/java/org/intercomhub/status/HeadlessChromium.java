package org.intercomhub.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over the Chrome DevTools Protocol with the JDK's
 * WebSocket client: no browser-driver dependency, and the test can wait (with a deadline) for what the page's
 * JavaScript rendered after its fetches, rather than dumping the DOM at a guessed moment.
 *
 * <p>Chromium missing is a failure, never a skip: the page test is the only thing that checks what a browser shows.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** What the page wrote to its console, and the JavaScript errors it threw. */
    final List<String> console = new CopyOnWriteArrayList<>();
    final List<String> exceptions = new CopyOnWriteArrayList<>();

    private HeadlessChromium(Process process, Path profile, WebSocket page) {
        this.process = process;
        this.profile = profile;
        this.page = page;
    }

    /** The chromium executable on PATH; fails the test, saying how to install it, when there is none. */
    static Path executable() {
        return executable(System.getenv().getOrDefault("PATH", ""));
    }

    static Path executable(String path) {
        for (String name : List.of("chromium", "chromium-browser")) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError("chromium is not installed (no chromium on PATH): the status page is tested in a real "
                + "headless browser. Install it with: apt-get update && apt-get install -y chromium (.ci/run does)");
    }

    static HeadlessChromium start() throws Exception {
        Path executable = executable();
        Path profile = Files.createTempDirectory("hub-chromium-");
        Process process = new ProcessBuilder(executable.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1280,900",
                "--user-data-dir=" + profile, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            URI browser = URI.create(listeningOn(process));
            HttpClient http = HttpClient.newHttpClient();
            URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
            String pageSocket = null;
            Instant deadline = Instant.now().plusSeconds(30);
            while (pageSocket == null && Instant.now().isBefore(deadline)) {
                for (JsonNode target : JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
                        HttpResponse.BodyHandlers.ofString()).body())) {
                    if ("page".equals(target.path("type").asText())) {
                        pageSocket = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageSocket == null) {
                    Thread.sleep(100);
                }
            }
            if (pageSocket == null) {
                throw new AssertionError("chromium started but offered no page to drive (" + list + ")");
            }
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(pageSocket), listener).get(30, TimeUnit.SECONDS);
            HeadlessChromium chromium = new HeadlessChromium(process, profile, socket);
            listener.owner = chromium;
            chromium.send("Runtime.enable", JSON.createObjectNode());
            chromium.send("Page.enable", JSON.createObjectNode());
            return chromium;
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    /** Chromium prints its DevTools address on stderr; the rest of stderr is drained so the pipe never fills. */
    private static String listeningOn(Process process) throws Exception {
        CompletableFuture<String> address = new CompletableFuture<>();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        address.complete(matcher.group(1));
                    } else if (lines.size() < 50) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            address.completeExceptionally(new AssertionError("chromium exited without a DevTools address: " + lines));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return address.get(60, TimeUnit.SECONDS);
    }

    JsonNode send(String method, ObjectNode params) throws Exception {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        page.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
        JsonNode reply = answer.get(60, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    void navigate(String url) throws Exception {
        send("Page.navigate", JSON.createObjectNode().put("url", url));
    }

    /** The value of a JavaScript expression in the page (promises awaited), as JSON. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode result = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException(expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Waits until the expression is true in the page; fails after the deadline showing what the page shows. */
    void waitFor(String expression, Duration deadline) throws Exception {
        Instant end = Instant.now().plus(deadline);
        while (Instant.now().isBefore(end)) {
            try {
                if (evaluate("Boolean(" + expression + ")").asBoolean(false)) {
                    return;
                }
            } catch (IllegalStateException notYet) {
                // the page is still loading (no document, or its script has not run yet)
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the page did not show " + expression + " within " + deadline + "; it shows: "
                + evaluate("document.body ? document.body.dataset.state + ': ' + document.body.innerText : 'nothing'")
                + "; JavaScript errors: " + exceptions);
    }

    byte[] screenshot() throws Exception {
        return Base64.getDecoder().decode(send("Page.captureScreenshot", JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true)).path("data").asText());
    }

    @Override
    public void close() throws Exception {
        try {
            page.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser goes anyway
        }
        // chromium's helper processes (renderer, GPU, zygote) still write into the profile while they go
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle helper : helpers) {
            try {
                helper.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                helper.destroyForcibly();
            }
        }
        try {
            deleteTree(profile);
        } catch (IOException e) {
            // a temporary directory: left for the system to clear rather than failing the test that used it
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asLong());
                if (answer != null) {
                    answer.complete(message);
                }
            } else if ("Runtime.consoleAPICalled".equals(message.path("method").asText())) {
                List<String> args = new ArrayList<>();
                message.path("params").path("args").forEach(a -> args.add(a.toString()));
                console.add(String.join(" ", args));
            } else if ("Runtime.exceptionThrown".equals(message.path("method").asText())) {
                exceptions.add(message.path("params").path("exceptionDetails").toString());
            }
        } catch (IOException e) {
            exceptions.add("unreadable DevTools message: " + e);
        }
    }

    /** Collects a message's fragments; hands whole messages to the browser object. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        volatile HeadlessChromium owner;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                if (owner != null) {
                    owner.received(text);
                }
            }
            socket.request(1);
            return null;
        }
    }
}

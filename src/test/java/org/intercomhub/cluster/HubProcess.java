package org.intercomhub.cluster;

import org.intercomhub.IntercomHubApplication;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A hub instance in a process of its own, started as {@code java -cp ... IntercomHubApplication --key=value ...} from
 * the test's classpath and working directory (routes/, application.yaml), so that a test can kill it as a crash does.
 */
final class HubProcess implements AutoCloseable {

    private final Process process;
    final int port;

    private HubProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static HubProcess start(Map<String, Object> settings, int port, Path log) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-cp", classpath,
                IntercomHubApplication.class.getName()));
        settings.forEach((key, value) -> {
            if (!key.equals("server.port")) {
                command.add("--" + key + "=" + value);
            }
        });
        command.add("--server.port=" + port);
        Process process = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HubProcess hub = new HubProcess(process, port);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the hub process ended at start-up; see " + log);
            }
            return hub.ready();
        });
        return hub;
    }

    private boolean ready() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/actuator/health/readiness")).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, no goodbye to the cluster, rows and runs left as they were. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}

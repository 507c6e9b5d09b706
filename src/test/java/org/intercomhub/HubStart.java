package org.intercomhub;

import org.intercomhub.pull.PullCatalog;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starts the whole application as java -jar does, with command-line settings (they win over application.yaml and
 * application-demo.yaml, as a user's environment variables do). Tests of start-up and of the two ways to run.
 */
public final class HubStart {

    /** A cron that does not fire while a test runs. */
    public static final String NEVER = "0 0 3 1 1 ?";

    private final List<String> args = new ArrayList<>();
    private final List<String> profiles = new ArrayList<>();
    private final Map<String, Object> environment = new HashMap<>();

    private HubStart() {
        arg("server.port", "0");
        arg("sync.run-on-startup", "false");
        // a failed run stays failed until asked again (FailedRunRetriesTest sets its own)
        arg("sync.retry-failed-runs", "0");
    }

    /** No token, no warehouse: what a bare production start has. */
    public static HubStart bare() {
        return new HubStart();
    }

    /** A production start that has what it needs: a token (for an API nobody calls) and a fresh H2 warehouse. */
    public static HubStart production() {
        return new HubStart().arg("intercom.access-token", "test-token")
                .arg("intercom.base-url", "http://127.0.0.1:9")
                .arg("warehouse.url", "jdbc:h2:mem:hub-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }

    /**
     * The demo on free ports with a small sandbox ({@code companies} also its conversations) and its H2 warehouse in
     * memory: the test leaves ./data alone.
     */
    public static HubStart demo(String database, int sandboxPort, int contacts, int companies) {
        return bare().profile("demo")
                .arg("sandbox.port", sandboxPort)
                .arg("sandbox.amplitude-port", freePort())
                .arg("sandbox.crm-port", freePort())
                .arg("sandbox.contacts", contacts).arg("sandbox.companies", companies)
                .arg("sandbox.conversations", companies)
                .arg("warehouse.url", "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1")
                .arg("sync.contact-notes", "false");
    }

    public static HubStart demo(String database, int contacts, int companies) {
        return demo(database, freePort(), contacts, companies);
    }

    /**
     * No collection's cron fires while the test runs: a test that reads a collection's state must not depend on the
     * wall clock (a production start keeps application.yaml's crons, and activity_logs' fires at :04, :19, :34, :49).
     */
    public HubStart withoutSchedules() {
        new PullCatalog().names().forEach(collection -> arg("sync.collections." + collection + ".cron", NEVER));
        return this;
    }

    /**
     * With a push sync of companies (upsert by {@code company_id}) reading {@code query}, which never fires by
     * schedule: its route file {@code push-<sync>.camel.yaml} written to {@code dir} and loaded after routes/ (without
     * routes/demo/, whose push syncs fire every minute).
     */
    public HubStart withCompanyPushSync(Path dir, String sync, String query) {
        Path file = dir.resolve("push-" + sync + ".camel.yaml");
        try {
            Files.writeString(file, """
                    - templatedRoute:
                        routeTemplateRef: intercom-push
                        parameters:
                          - { name: sync, value: %s }
                          - { name: object, value: company }
                          - { name: match, value: company_id }
                          - { name: mode, value: upsert }
                          - { name: cron, value: "%s" }
                          - { name: query, value: "%s" }
                    """.formatted(sync, NEVER, query));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return arg("camel.main.routes-include-pattern", "file:routes/*.camel.yaml,file:" + file);
    }

    /** A command-line setting; a later one of the same key replaces the earlier (Spring would join the two). */
    public HubStart arg(String key, Object value) {
        args.removeIf(arg -> arg.startsWith("--" + key + "="));
        args.add("--" + key + "=" + value);
        return this;
    }

    /** An environment variable, read as the hub reads the real environment (INTERCOM_ACCESS_TOKEN ...). */
    public HubStart env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public HubStart profile(String profile) {
        profiles.add(profile);
        return this;
    }

    public ConfigurableApplicationContext run() {
        SpringApplicationBuilder application = new SpringApplicationBuilder(IntercomHubApplication.class)
                .profiles(profiles.toArray(String[]::new));
        if (!environment.isEmpty()) {
            Map<String, Object> variables = new HashMap<>(System.getenv());
            variables.putAll(environment);
            StandardEnvironment withVariables = new StandardEnvironment();
            withVariables.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            variables));
            application.environment(withVariables);
        }
        return application.run(args.toArray(String[]::new));
    }

    /** A port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

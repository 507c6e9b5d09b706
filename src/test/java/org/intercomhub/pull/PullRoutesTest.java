package org.intercomhub.pull;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.intercomhub.HubStart;
import org.intercomhub.InvalidSettingException;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.intercomhub.sync.CollectionStatus;
import org.intercomhub.sync.SyncStatusBoard;
import org.intercomhub.sync.SyncTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The list of collections is sync.collections in application.yaml: a user who edits it there gets exactly the pulls
 * it lists, and a line the hub cannot use stops start-up naming it.
 */
@ExtendWith(OutputCaptureExtension.class)
class PullRoutesTest {

    @TempDir
    Path dir;

    /** application.yaml as shipped, with its sync.collections block replaced by the given lines. */
    private String applicationYamlWithCollections(String... lines) throws IOException {
        String yaml = Files.readString(Path.of("application.yaml"));
        int start = yaml.indexOf("  collections:\n");
        int end = yaml.indexOf("\n\n", start);
        assertThat(start).as("application.yaml lists sync.collections").isPositive();
        String edited = yaml.substring(0, start) + "  collections:\n" + String.join("\n", lines) + yaml.substring(end);
        Path file = dir.resolve("application.yaml");
        Files.writeString(file, edited);
        return "file:" + file;
    }

    @Test
    void theCollectionsListedAreThePullsThereAre() throws IOException {
        try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults().withPort(0));
             ConfigurableApplicationContext hub = HubStart.bare()
                     .arg("warehouse.url", "jdbc:h2:mem:pull-routes-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1")
                     .arg("spring.config.location", applicationYamlWithCollections(
                             "    tags:   { cron: \"" + HubStart.NEVER + "\" }",
                             "    admins: { enabled: false, cron: \"" + HubStart.NEVER + "\" }"))
                     .arg("intercom.base-url", sandbox.baseUrl())
                     .arg("intercom.access-token", sandbox.config().accessToken())
                     .run()) {
            CamelContext camel = hub.getBean(CamelContext.class);
            assertThat(camel.getRoutes().stream().filter(Route::isCreatedByRouteTemplate).map(Route::getId))
                    .containsExactlyInAnyOrder("pull-tags", "pull-admins", "pull-write-tags", "pull-write-admins");

            SyncTrigger trigger = hub.getBean(SyncTrigger.class);
            assertThat(trigger.collections()).containsExactly("tags", "admins");
            assertThat(trigger.trigger("contacts")).isEqualTo(SyncTrigger.Outcome.UNKNOWN);
            assertThat(trigger.trigger("admins")).isEqualTo(SyncTrigger.Outcome.DISABLED);
            assertThat(trigger.trigger("tags")).isEqualTo(SyncTrigger.Outcome.STARTED);

            SyncStatusBoard status = hub.getBean(SyncStatusBoard.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> "succeeded".equals(
                    status.of("tags").snapshot(null).state()));
            JdbcTemplate jdbc = hub.getBean(JdbcTemplate.class);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"intercom\".\"tags\"", Long.class))
                    .isEqualTo(sandbox.workspace().count("tags"));
            assertThat(status.of("admins").snapshot(null).state())
                    .isEqualTo(CollectionStatus.State.DISABLED.name().toLowerCase());
        }
    }

    @Test
    void aCollectionTheHubDoesNotKnowStopsStartUpNamingIt(CapturedOutput output) throws IOException {
        String config = applicationYamlWithCollections("    tag: { cron: \"" + HubStart.NEVER + "\" }");
        assertThatThrownBy(() -> HubStart.production().arg("spring.config.location", config).run())
                .hasRootCauseInstanceOf(InvalidSettingException.class);
        assertThat(output.getOut()).contains("APPLICATION FAILED TO START")
                .contains("sync.collections.tag: no such collection; known: [contacts, conversations")
                .doesNotContain("at org.springframework");
    }

    @Test
    void aCronQuartzCannotReadStopsStartUpNamingTheKey(CapturedOutput output) {
        assertThatThrownBy(() -> HubStart.production().arg("sync.collections.tags.cron", "every 5 minutes").run())
                .hasRootCauseInstanceOf(InvalidSettingException.class);
        assertThat(output.getOut()).contains("sync.collections.tags.cron: 'every 5 minutes' is not a Quartz cron");
    }
}

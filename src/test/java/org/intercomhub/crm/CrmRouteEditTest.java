package org.intercomhub.crm;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.intercomhub.IntercomHubApplication;
import org.intercomhub.fanout.BranchMeters;
import org.intercomhub.record.CanonicalRecord;
import org.intercomhub.record.CanonicalRecord.Source;
import org.intercomhub.record.RecordMapper;
import org.intercomhub.sandbox.CrmStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README's worked example, "Editing a route is how users change the pipeline": the application runs with a copy of
 * routes/ in which crm.camel.yaml has the filter README shows, and nothing else changed (no Java). The stub CRM must
 * get the customers and the company, and never the colleague's test account; the left-out record leaves the queue as
 * dropped and counted.
 */
@CamelSpringBootTest
@SpringBootTest(classes = IntercomHubApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class CrmRouteEditTest {

    /** Where README's example goes: the first step a call passes. */
    static final String ANCHOR =
            "# A record a step here leaves out (a filter) is dropped and counted: see README, \"Editing a route\".\n";

    /** The lines README tells the user to add (README.md, "Editing a route"). */
    static final String README_EDIT = """
            # our own test accounts stay out of the CRM
            - filter:
                simple: "${body.row[email]} endsWith '@our-team.example'"
                steps:
                  - stop: {}
            """;

    static final ObjectMapper JSON = new ObjectMapper();
    static final CrmStub CRM = new CrmStub(0, "crm-key");
    static final Path ROUTES = editedRoutes();

    /** A copy of routes/ with README's edit made to crm.camel.yaml. */
    static Path editedRoutes() {
        try {
            Path dir = Files.createTempDirectory("edited-routes");
            try (var files = Files.list(Path.of("routes"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                    Files.copy(file, dir.resolve(file.getFileName()));
                }
            }
            Path crm = dir.resolve("crm.camel.yaml");
            String route = Files.readString(crm);
            assertThat(route).contains(ANCHOR);
            // the edit goes below the comment, at the indentation of the steps around it
            int at = route.indexOf(ANCHOR);
            String indent = route.substring(route.lastIndexOf('\n', at) + 1, at);
            Files.writeString(crm, route.replace(ANCHOR, ANCHOR + README_EDIT.indent(indent.length())));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("camel.main.routes-include-pattern", () -> "file:" + ROUTES.toAbsolutePath() + "/*.camel.yaml");
        registry.add("intercom.access-token", () -> "test-token");
        registry.add("intercom.base-url", () -> "http://127.0.0.1:9");
        registry.add("warehouse.url", () -> "jdbc:h2:mem:crm-edit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        registry.add("sync.run-on-startup", () -> "false");
        registry.add("fanout.poll-interval-ms", () -> "50");
        registry.add("analytics.enabled", () -> "false");
        registry.add("crm.base-url", CRM::baseUrl);
        registry.add("crm.api-key", () -> "crm-key");
    }

    @AfterAll
    static void stop() {
        CRM.close();
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    BranchMeters stats;

    static CanonicalRecord contact(String id, String externalId, String email) throws Exception {
        return new RecordMapper().toRecord("contacts", JSON.readTree("""
                {"type":"contact","id":"%s","role":"user","external_id":"%s","email":"%s","name":"Someone"}"""
                .formatted(id, externalId, email)), Source.PULL);
    }

    @Test
    void theFilterAddedToTheRouteFileKeepsTestAccountsOutOfTheCrm() throws Exception {
        // a round of the CRM route that took rows from the queue (delivered them and settled them)
        NotifyBuilder delivered = new NotifyBuilder(camel).fromRoute("crm")
                .whenAnyDoneMatches(camel.resolveLanguage("simple").createPredicate("${exchangeProperty.due.empty} == false"))
                .create();
        producer.sendBody("direct:fanout", List.of(
                contact("c1", "u-1", "ada@customer.example"),
                contact("c2", "u-2", "tester@our-team.example"),
                contact("c3", "u-3", "grace@customer.example"),
                new RecordMapper().toRecord("companies", JSON.readTree(
                        "{\"type\":\"company\",\"id\":\"ic1\",\"company_id\":\"acme-1\",\"name\":\"Acme\"}"), Source.PULL)));
        assertThat(delivered.matches(30, TimeUnit.SECONDS)).isTrue();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM intercom_hub.branch_outbox WHERE branch = 'crm'",
                        Long.class) == 0);
        assertThat(CRM.records("user")).containsOnlyKeys("u-1", "u-3");
        assertThat(CRM.records("account")).containsOnlyKeys("acme-1");
        assertThat(CRM.received()).noneMatch(r -> "u-2".equals(r.id()));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM intercom_hub.dead_letters", Long.class)).isZero();
        assertThat(stats.snapshot()).extractingByKey("crm").asString().contains(CrmBranch.LEFT_OUT);
        // the warehouse still has every contact: the edit changed the CRM branch only
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"intercom\".\"contacts\"", Long.class)).isEqualTo(3);
    }
}

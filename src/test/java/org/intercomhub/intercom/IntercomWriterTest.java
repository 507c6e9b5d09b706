package org.intercomhub.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.intercom.ContactMatch.MatchField;
import org.intercomhub.intercom.WriteResult.Outcome;
import org.intercomhub.sandbox.SandboxConfig;
import org.intercomhub.sandbox.SandboxServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer against a real sandbox on loopback: Intercom's write semantics, handled. */
class IntercomWriterTest {

    static final Duration LAG = Duration.ofMinutes(3);
    static final ObjectMapper MAPPER = new ObjectMapper();

    /** The sandbox's clock: tests move it instead of waiting for the search index. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2025-06-15T16:00:00Z");
        void advance(Duration d) { now = now.plus(d); }
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    }

    MovableClock clock;
    SandboxServer sandbox;
    IntercomWriter writer;

    @BeforeEach
    void start() {
        clock = new MovableClock();
        sandbox = SandboxServer.start(SandboxConfig.builder().clock(clock).contacts(100).companies(10)
                .conversations(0).tickets(0).searchIndexLag(LAG).build());
        IntercomSettings settings = IntercomSettings.builder()
                .accessToken(sandbox.config().accessToken())
                .baseUrl(sandbox.baseUrl())
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(50))
                .build();
        writer = new IntercomWriter(new IntercomClient(settings, new RateLimiter()));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    long requests(String methodAndPath) {
        return sandbox.stats().requests(methodAndPath);
    }

    @Test
    void createRacingTheSearchIndexMeets409AndUpdatesTheContactItNames() {
        WriteResult first = writer.upsertContact(MatchField.EMAIL, "race@example.org", json("{\"name\":\"First\"}"), true);
        assertThat(first.outcome()).isEqualTo(Outcome.CREATED);
        String id = first.intercomId();
        assertThat(id).isNotBlank();

        // Search does not see the new contact yet: the second upsert creates again, meets 409 and updates by id.
        assertThat(writer.findContacts(MatchField.EMAIL, "race@example.org").kind()).isEqualTo(ContactMatch.Kind.NONE);
        WriteResult second = writer.upsertContact(MatchField.EMAIL, "race@example.org", json("{\"name\":\"Second\"}"), true);
        assertThat(second.outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(second.intercomId()).isEqualTo(id);
        assertThat(second.reason()).contains("409");
        assertThat(sandbox.workspace().contact(id).path("name").asText()).isEqualTo("Second");
        assertThat(requests("POST /contacts")).isEqualTo(2);
        assertThat(requests("PUT /contacts/{id}")).isEqualTo(1);
        assertThat(sandbox.workspace().count("contacts")).isEqualTo(101);

        // Once indexed, the lookup finds exactly one and the upsert is a plain update.
        clock.advance(LAG);
        ContactMatch match = writer.findContacts(MatchField.EMAIL, "race@example.org");
        assertThat(match.kind()).isEqualTo(ContactMatch.Kind.ONE);
        assertThat(match.id()).isEqualTo(id);
        assertThat(writer.upsertContact(MatchField.EMAIL, "race@example.org", json("{\"name\":\"Third\"}"), true))
                .isEqualTo(WriteResult.updated(id));
        assertThat(requests("POST /contacts")).isEqualTo(2);
    }

    @Test
    void severalMatchesAreReportedAndRejectedNeverTheFirstTaken() {
        String a = writer.createContact(json("{\"role\":\"lead\",\"email\":\"twin@example.org\"}")).intercomId();
        String b = writer.createContact(json("{\"role\":\"lead\",\"email\":\"twin@example.org\"}")).intercomId();
        assertThat(a).isNotEqualTo(b);
        clock.advance(LAG);

        ContactMatch match = writer.findContacts(MatchField.EMAIL, "twin@example.org");
        assertThat(match.kind()).isEqualTo(ContactMatch.Kind.SEVERAL);
        assertThat(match.ids()).containsExactlyInAnyOrder(a, b);
        long putsBefore = requests("PUT /contacts/{id}");
        WriteResult result = writer.upsertContact(MatchField.EMAIL, "twin@example.org", json("{\"name\":\"Which?\"}"), true);
        assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(result.reason()).startsWith("ambiguous: 2 contacts have email=twin@example.org").contains(a, b);
        assertThat(requests("PUT /contacts/{id}")).isEqualTo(putsBefore);
        assertThat(requests("POST /contacts")).isEqualTo(2);
    }

    @Test
    void archivedContactIsUnarchivedThenUpdated() {
        String id = writer.createContact(json("{\"email\":\"gone@example.org\",\"external_id\":\"u-gone\"}")).intercomId();
        assertThat(writer.archiveContact(id)).isEqualTo(WriteResult.archived(id));
        assertThat(sandbox.workspace().contact(id)).isNull();

        WriteResult updated = writer.updateContact(id, json("{\"name\":\"Back\"}"));
        assertThat(updated.outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(updated.reason()).isEqualTo("unarchived, then updated");
        assertThat(sandbox.workspace().contact(id).path("name").asText()).isEqualTo("Back");
        assertThat(requests("POST /contacts/{id}/unarchive")).isEqualTo(1);

        // Archived again, a create by external_id meets the archived 409 and revives the same contact.
        writer.archiveContact(id);
        WriteResult revived = writer.upsertContact(MatchField.EXTERNAL_ID, "u-gone", json("{\"name\":\"Again\"}"), true);
        assertThat(revived.outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(revived.intercomId()).isEqualTo(id);
        assertThat(revived.reason()).contains("unarchived");
        assertThat(sandbox.workspace().contact(id).path("name").asText()).isEqualTo("Again");
    }

    @Test
    void updateOnlyRejectsMissingContactsAndDeletedOnesAreRejectedWithIntercomsReason() {
        WriteResult missing = writer.upsertContact(MatchField.EXTERNAL_ID, "nobody", json("{\"name\":\"x\"}"), false);
        assertThat(missing.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(missing.reason()).isEqualTo("not_found: no contact has external_id=nobody");
        assertThat(requests("POST /contacts")).isZero();

        String id = sandbox.workspace().contactIds().get(3);
        assertThat(writer.findContacts(MatchField.ID, id).kind()).isEqualTo(ContactMatch.Kind.ONE);
        assertThat(writer.deleteContact(id)).isEqualTo(WriteResult.deleted(id));
        assertThat(writer.findContacts(MatchField.ID, id).kind()).isEqualTo(ContactMatch.Kind.NONE);
        WriteResult byId = writer.upsertContact(MatchField.ID, id, json("{\"name\":\"x\"}"), true);
        assertThat(byId.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(byId.reason()).isEqualTo("not_found: User Not Found");
        assertThat(writer.deleteContact(id).outcome()).isEqualTo(Outcome.REJECTED);
    }

    @Test
    void unknownAttributeIsRejectedThenCreatedThroughDataAttributesAndAccepted() {
        ObjectNode fields = json("{\"name\":\"Nps\",\"custom_attributes\":{\"nps_score\":9}}");
        WriteResult rejected = writer.upsertContact(MatchField.EMAIL, "nps@example.org", fields, true);
        assertThat(rejected.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(rejected.reason()).isEqualTo("parameter_invalid: Custom attribute 'nps_score' does not exist");
        assertThat(writer.listDataAttributes("contact")).extracting(DataAttribute::name).doesNotContain("nps_score");

        WriteResult created = writer.createDataAttribute("contact", "nps_score", "integer");
        assertThat(created.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(created.intercomId()).isNotBlank();
        assertThat(writer.createDataAttribute("contact", "nps_score", "integer").outcome()).isEqualTo(Outcome.UNCHANGED);
        WriteResult otherModel = writer.createDataAttribute("company", "nps_score", "integer");
        assertThat(otherModel.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(otherModel.reason()).contains("You already have 'nps_score' in your people data");
        assertThat(writer.listDataAttributes("contact"))
                .filteredOn(a -> a.name().equals("nps_score"))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.custom()).isTrue();
                    assertThat(a.dataType()).isEqualTo("integer");
                    assertThat(a.id()).isEqualTo(created.intercomId());
                });

        WriteResult accepted = writer.upsertContact(MatchField.EMAIL, "nps@example.org", fields, true);
        assertThat(accepted.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(sandbox.workspace().contact(accepted.intercomId()).path("custom_attributes").path("nps_score").asInt())
                .isEqualTo(9);
    }

    @Test
    void eventsWithMoreThanTenMetadataKeysAreRejectedBeforeSendingNamingThem() {
        String id = writer.createContact(json("{\"email\":\"ev@example.org\",\"external_id\":\"u-ev\"}")).intercomId();
        ObjectNode event = json("{\"event_name\":\"ordered\",\"created_at\":1750000000,\"user_id\":\"u-ev\"}");
        ObjectNode metadata = event.putObject("metadata");
        for (int k = 1; k <= 12; k++) {
            metadata.put("key" + k, k);
        }
        WriteResult tooMany = writer.submitEvent(event);
        assertThat(tooMany.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(tooMany.reason()).contains("12 keys").contains("would drop key11, key12");
        assertThat(requests("POST /events")).isZero();

        metadata.remove("key11");
        metadata.remove("key12");
        assertThat(writer.submitEvent(event).outcome()).isEqualTo(Outcome.CREATED);
        ObjectNode nested = event.deepCopy();
        ((ObjectNode) nested.get("metadata")).putObject("key10").put("deep", 1);
        assertThat(writer.submitEvent(nested).reason()).contains("nested in key10");

        JsonNode stored = sandbox.workspace().events(id).get(0);
        assertThat(stored.path("event_name").asText()).isEqualTo("ordered");
        assertThat(stored.path("metadata").size()).isEqualTo(10);
        WriteResult unknownUser = writer.submitEvent(json("{\"event_name\":\"x\",\"created_at\":1,\"user_id\":\"nobody\"}"));
        assertThat(unknownUser.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(unknownUser.reason()).isEqualTo("not_found: User Not Found");
        assertThat(requests("POST /events")).isEqualTo(2);
    }

    @Test
    void companiesAreCreatedOrUpdatedByCompanyIdAttachedDetachedAndDeleted() {
        WriteResult created = writer.upsertCompany(json("{\"company_id\":\"acme\",\"name\":\"Acme\",\"plan\":\"pro\"}"));
        assertThat(created.outcome()).isEqualTo(Outcome.CREATED);
        String companyId = created.intercomId();
        clock.advance(Duration.ofSeconds(5));
        assertThat(writer.upsertCompany(json("{\"company_id\":\"acme\",\"name\":\"Acme Inc\"}")))
                .isEqualTo(WriteResult.updated(companyId));
        assertThat(writer.findCompany("acme")).isEqualTo(companyId);
        assertThat(writer.findCompany("nope")).isNull();
        assertThat(writer.upsertCompany(json("{\"name\":\"no id\"}")).outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(writer.updateCompany(companyId, json("{\"size\":40}")).outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(sandbox.workspace().company(companyId).path("size").asInt()).isEqualTo(40);

        String contact = writer.createContact(json("{\"email\":\"emp@example.org\"}")).intercomId();
        assertThat(writer.attach(contact, companyId).outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(sandbox.workspace().company(companyId).path("user_count").asInt()).isEqualTo(1);
        assertThat(sandbox.workspace().contact(contact).path("companies").path("data").get(0).path("id").asText())
                .isEqualTo(companyId);
        assertThat(writer.detach(contact, companyId).outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(writer.detach(contact, companyId).reason()).startsWith("company_not_found");

        assertThat(writer.deleteCompany(companyId)).isEqualTo(WriteResult.deleted(companyId));
        assertThat(writer.attach(contact, companyId).reason()).isEqualTo("company_not_found: Company Not Found");
        assertThat(writer.deleteCompany(companyId).outcome()).isEqualTo(Outcome.REJECTED);
    }

    @Test
    void conflictIdIsParsedFromBothVariantsOfIntercomsMessage() {
        assertThat(IntercomWriter.conflictingId("A contact matching those details already exists with id=6762f0dd1bb69f9f2193bb83"))
                .isEqualTo("6762f0dd1bb69f9f2193bb83");
        assertThat(IntercomWriter.conflictingId("An archived contact matching those details already exists with id=abc123"))
                .isEqualTo("abc123");
        assertThat(IntercomWriter.conflictingId("Something else")).isNull();
    }
}

package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.intercom.ContactMatch;
import org.intercomhub.intercom.ContactMatch.MatchField;
import org.intercomhub.intercom.IntercomWriter;
import org.intercomhub.intercom.WriteResult;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies one call to Intercom through the shared {@link IntercomWriter} (its rate budget, 409 handling and metadata
 * checks), mapped by {@link IntercomMapping}. Intercom's refusal of the call is a {@link Result.Kind#REJECTED}
 * result; Intercom unavailable, throttling or refusing the app (5xx, 429, network, 401/403) is thrown, as it concerns
 * every call.
 */
public class TrackingApplier {

    /** What applying a call did. */
    public record Result(Kind kind, String intercomId, String note) {
        public enum Kind { APPLIED, SKIPPED, REJECTED }

        static Result applied(String id, List<String> notes) {
            return new Result(Kind.APPLIED, id, notes.isEmpty() ? null : String.join("; ", notes));
        }

        static Result skipped(String reason) {
            return new Result(Kind.SKIPPED, null, reason);
        }

        static Result rejected(String reason) {
            return new Result(Kind.REJECTED, null, reason);
        }
    }

    private final IntercomWriter writer;
    private final AttributeCatalog attributes;
    private final TrackingInbox inbox;
    private final Clock clock;

    public TrackingApplier(IntercomWriter writer, AttributeCatalog attributes, TrackingInbox inbox, Clock clock) {
        this.writer = writer;
        this.attributes = attributes;
        this.inbox = inbox;
        this.clock = clock;
    }

    public Result apply(TrackingCall call) {
        if (!forIntercom(call.body().path("integrations"))) {
            return Result.skipped("integrations leaves Intercom out");
        }
        return switch (call.type()) {
            case "identify" -> identify(call);
            case "group" -> group(call);
            case "track" -> track(call);
            default -> Result.skipped(call.type() + " calls are not sent to Intercom");
        };
    }

    /**
     * Segment's destination filter: {@code "Intercom": false} leaves Intercom out, and so does {@code "All": false}
     * unless {@code "Intercom"} is switched on (keys are case-sensitive, as Segment's).
     */
    static boolean forIntercom(JsonNode integrations) {
        JsonNode intercom = integrations.get("Intercom");
        if (intercom != null && intercom.isBoolean()) {
            return intercom.booleanValue();
        }
        if (intercom != null && intercom.isObject()) {
            return true;
        }
        JsonNode all = integrations.get("All");
        return all == null || !all.isBoolean() || all.booleanValue();
    }

    // ------------------------------------------------------------------ identify → contact

    private Result identify(TrackingCall call) {
        IntercomMapping.Mapped mapped = IntercomMapping.contact(call.body());
        List<String> notes = new ArrayList<>(mapped.notes());
        ObjectNode fields = withCustom(mapped, "contact", notes);
        String userId = call.userId();
        WriteResult written;
        if (userId != null) {
            fields.put("role", "user");
            String known = inbox.contactId(call.userKey());
            written = known == null ? null : writer.updateContact(known, fields);
            if (written == null || written.isRejected()) {
                // unknown, or gone since: look the user up (and create it when Intercom has none)
                written = writer.upsertContact(MatchField.EXTERNAL_ID, userId, fields, true);
            }
        } else {
            String email = fields.path("email").asText(null);
            if (email == null) {
                return Result.skipped("identify without userId or email: no way to find the lead again");
            }
            ContactMatch match = writer.findContacts(MatchField.EMAIL, email);
            written = switch (match.kind()) {
                case ONE -> writer.updateContact(match.id(), fields);
                case SEVERAL -> WriteResult.rejected(null, match.ambiguity());
                default -> writer.createContact(fields.put("role", "lead"));
            };
        }
        if (written.isRejected()) {
            return Result.rejected(written.reason());
        }
        String contactId = written.intercomId();
        JsonNode company = IntercomMapping.companyTrait(call.body());
        if (company != null) {
            String companyId = IntercomMapping.companyId(company);
            if (companyId == null) {
                notes.add("traits.company has neither id nor name: not written");
            } else {
                String refusal = upsertAndAttach(companyId, company, contactId, notes);
                if (refusal != null) {
                    return Result.rejected("company " + companyId + ": " + refusal);
                }
            }
        }
        // group calls that came before the user was in Intercom
        for (TrackingInbox.Attachment waiting : inbox.attachmentsOf(call.userKey())) {
            WriteResult attached = writer.attach(contactId, waiting.companyId());
            if (!attached.isRejected()) {
                inbox.attachmentDone(waiting);
            }
        }
        return Result.applied(contactId, notes);
    }

    // ------------------------------------------------------------------ group → company, attach

    private Result group(TrackingCall call) {
        String groupId = TrackingCall.idText(call.body().get("groupId"));
        if (groupId == null) {
            return Result.skipped("group without groupId");
        }
        List<String> notes = new ArrayList<>();
        IntercomMapping.Mapped mapped = IntercomMapping.company(groupId, call.body().path("traits"));
        notes.addAll(mapped.notes());
        WriteResult company = writer.upsertCompany(withCustom(mapped, "company", notes));
        if (company.isRejected()) {
            return Result.rejected(company.reason());
        }
        String contactId = contactOf(call);
        if (contactId == null) {
            inbox.addAttachment(new TrackingInbox.Attachment(call.userKey(), company.intercomId(), groupId,
                    call.userId(), IntercomMapping.email(call.body()), call.messageId(), clock.millis(), 0),
                    clock.millis());
            notes.add("user not in Intercom yet: attachment waits for it");
            return Result.applied(company.intercomId(), notes);
        }
        WriteResult attached = writer.attach(contactId, company.intercomId());
        if (attached.isRejected()) {
            return Result.rejected("attach to company " + groupId + ": " + attached.reason());
        }
        return Result.applied(company.intercomId(), notes);
    }

    /** Null when the company was written and the contact attached; else why not. */
    private String upsertAndAttach(String companyId, JsonNode traits, String contactId, List<String> notes) {
        IntercomMapping.Mapped mapped = IntercomMapping.company(companyId, traits);
        notes.addAll(mapped.notes());
        WriteResult company = writer.upsertCompany(withCustom(mapped, "company", notes));
        if (company.isRejected()) {
            return company.reason();
        }
        WriteResult attached = writer.attach(contactId, company.intercomId());
        return attached.isRejected() ? attached.reason() : null;
    }

    /**
     * The contact of a call's user: the one this hub's identify wrote (no search: Intercom's index lags behind
     * writes by minutes), else the single one Intercom finds by userId (or email); null when none.
     */
    String contactOf(TrackingCall call) {
        String known = inbox.contactId(call.userKey());
        if (known != null) {
            return known;
        }
        return find(call.userId(), IntercomMapping.email(call.body()));
    }

    String find(String userId, String email) {
        ContactMatch match = userId != null ? writer.findContacts(MatchField.EXTERNAL_ID, userId)
                : email != null ? writer.findContacts(MatchField.EMAIL, email) : null;
        return match != null && match.kind() == ContactMatch.Kind.ONE ? match.id() : null;
    }

    // ------------------------------------------------------------------ track → event

    private Result track(TrackingCall call) {
        JsonNode name = call.body().get("event");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            return Result.skipped("track without event");
        }
        IntercomMapping.Mapped mapped = IntercomMapping.event(call.body());
        ObjectNode event = mapped.fields();
        String known = inbox.contactId(call.userKey());
        String email = IntercomMapping.email(call.body());
        if (known != null) {
            event.put("id", known);
        } else if (call.userId() != null) {
            event.put("user_id", call.userId());
        } else if (email != null) {
            event.put("email", email);
        } else {
            return Result.skipped("track without userId or email: no contact to find");
        }
        WriteResult submitted = writer.submitEvent(event);
        if (submitted.isRejected()) {
            return Result.rejected(submitted.reason());
        }
        return Result.applied(known, mapped.notes());
    }

    // ------------------------------------------------------------------ attachments waiting for their user

    /** Attaches a waiting company when its user is in Intercom now; false when the user still is not. */
    public boolean attachWaiting(TrackingInbox.Attachment waiting) {
        String contactId = inbox.contactId(waiting.userKey());
        if (contactId == null) {
            contactId = find(waiting.userId(), waiting.email());
        }
        if (contactId == null) {
            return false;
        }
        WriteResult attached = writer.attach(contactId, waiting.companyId());
        if (attached.isRejected()) {
            throw new IllegalStateException("Intercom refused the attachment: " + attached.reason());
        }
        return true;
    }

    /** The fields with the custom attributes Intercom has or could be given; the others noted and left out. */
    private ObjectNode withCustom(IntercomMapping.Mapped mapped, String model, List<String> notes) {
        ObjectNode fields = mapped.fields();
        if (mapped.custom().isEmpty()) {
            return fields;
        }
        ObjectNode custom = fields.putObject("custom_attributes");
        for (Map.Entry<String, JsonNode> e : mapped.custom().entrySet()) {
            String refusal = attributes.ensure(model, e.getKey(), e.getValue());
            if (refusal == null) {
                custom.set(e.getKey(), e.getValue());
            } else {
                notes.add("trait " + e.getKey() + " left out: " + refusal);
            }
        }
        return fields;
    }
}

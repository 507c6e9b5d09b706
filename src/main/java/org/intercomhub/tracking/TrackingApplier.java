package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
            case "page", "screen" -> seen(call);
            case "alias" -> alias(call);
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
        WriteResult written = writeContact(call, withCustom(mapped, "contact", notes));
        if (written == null) {
            return Result.skipped("identify without userId or email: no way to find the lead again");
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
        attachWaiting(call, contactId);
        return Result.applied(contactId, notes);
    }

    /**
     * The contact of an identify, page or screen written: a user by userId (the one this hub wrote, else created,
     * else the one Intercom's 409 names updated), else a lead by email (found or created). Null when the call has
     * neither userId nor email.
     */
    private WriteResult writeContact(TrackingCall call, ObjectNode fields) {
        String userId = call.userId();
        if (userId != null) {
            fields.put("role", "user");
            String known = inbox.contactId(call.userKey());
            WriteResult written = known == null ? null : writer.updateContact(known, fields);
            if (written == null || written.isRejected()) {
                // unknown, or gone since: create the user straight away. Intercom keeps users unique by external_id
                // and email and answers 409 naming the one it has, which the writer then updates: one request for a
                // new user (a search first would be two, and its index lags behind writes by minutes anyway), two for
                // a user some other system wrote
                ObjectNode body = fields.deepCopy();
                body.put("external_id", userId);
                written = writer.createContact(body);
            }
            return written;
        }
        String email = fields.path("email").asText(null);
        if (email == null) {
            return null;
        }
        ContactMatch match = writer.findContacts(MatchField.EMAIL, email);
        return switch (match.kind()) {
            case ONE -> writer.updateContact(match.id(), fields);
            case SEVERAL -> WriteResult.rejected(null, match.ambiguity());
            default -> writer.createContact(fields.put("role", "lead"));
        };
    }

    /** Group calls that came before the user was in Intercom: attached now that it is. */
    private void attachWaiting(TrackingCall call, String contactId) {
        for (TrackingInbox.Attachment waiting : inbox.attachmentsOf(call.userKey())) {
            WriteResult attached = writer.attach(contactId, waiting.companyId());
            if (!attached.isRejected()) {
                inbox.attachmentDone(waiting);
            }
        }
    }

    // ------------------------------------------------------------------ page, screen → contact seen

    /**
     * Page and screen: Customer.io's Intercom destination triggers "Identify User" on {@code type = "page"} too, so
     * a page or screen view creates or updates the contact as an identify would, from the call's userId (else the
     * email in {@code context.traits}) and the traits the client keeps in {@code context.traits}, and sets
     * {@code last_seen_at} to when the view happened (the call's timestamp, never later than when the hub received
     * it: a client clock ahead of ours does not put the contact in the future). Companies are left to identify and
     * group: a page view does not rewrite them. One request for a user this hub has written before.
     */
    private Result seen(TrackingCall call) {
        JsonNode contextTraits = call.body().path("context").path("traits");
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        ObjectNode traits = contextTraits.isObject() ? ((ObjectNode) contextTraits).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        traits.remove("company");
        view.set("traits", traits);
        IntercomMapping.Mapped mapped = IntercomMapping.contact(view);
        List<String> notes = new ArrayList<>(mapped.notes());
        ObjectNode fields = withCustom(mapped, "contact", notes);
        Long seen = IntercomMapping.seenAt(call.body());
        if (seen != null) {
            fields.put("last_seen_at", seen);
        }
        WriteResult written = writeContact(call, fields);
        if (written == null) {
            return Result.skipped(call.type() + " without userId or context.traits.email: no contact to find");
        }
        if (written.isRejected()) {
            return Result.rejected(written.reason());
        }
        attachWaiting(call, written.intercomId());
        return Result.applied(written.intercomId(), notes);
    }

    // ------------------------------------------------------------------ alias → merge a lead into its user

    /**
     * Alias: {@code previousId} (the anonymousId a visitor had, or an id of a lead) and {@code userId} are one person.
     * Intercom merges a lead into a user ({@code POST /contacts/merge}), so:
     * <ul>
     * <li>the lead known by previousId (the lead this hub's calls of that anonymousId wrote, else the contact Intercom
     * finds with external_id = previousId) and the user known by userId both exist: the lead is merged into the user,
     * without Intercom's duplicate check (the alias is the client's word that they are one person);</li>
     * <li>the lead exists, the user not yet (the usual order: alias at sign-up, identify after it): the lead becomes
     * the user (role user, external_id = userId), so the identify that follows updates it instead of creating a
     * second contact;</li>
     * <li>no lead is known by previousId, or previousId is a user this hub wrote (Intercom merges only leads):
     * skipped, with the reason as the call's outcome; nothing is retried.</li>
     * </ul>
     * Intercom refusing the merge is a dead letter with its reason, as any refusal. A skip's reason starts with a
     * fixed phrase (before the colon: the meters' {@code reason} tag), the ids after it.
     */
    private Result alias(TrackingCall call) {
        String previousId = TrackingCall.idText(call.body().get("previousId"));
        String userId = call.userId();
        if (previousId == null || userId == null) {
            return Result.skipped("alias without previousId or userId: nothing to merge");
        }
        if (previousId.equals(userId)) {
            return Result.skipped("alias to itself: " + userId);
        }
        if (inbox.contactId(TrackingCall.userKey(previousId, null)) != null) {
            return Result.skipped("previousId is a user: " + previousId + " is a user in Intercom, and Intercom"
                    + " merges only a lead into a user");
        }
        String lead = inbox.contactId(TrackingCall.userKey(null, previousId));
        if (lead == null) {
            lead = find(previousId, null);
        }
        if (lead == null) {
            return Result.skipped("no lead known by previousId: none for " + previousId + ", nothing to merge into "
                    + userId);
        }
        String user = contactOf(call);
        if (user == null) {
            ObjectNode fields = JsonNodeFactory.instance.objectNode().put("role", "user").put("external_id", userId);
            WriteResult converted = writer.updateContact(lead, fields);
            if (converted.isRejected()) {
                return Result.rejected(converted.reason());
            }
            return Result.applied(lead, List.of("user " + userId + " not in Intercom yet: the lead of " + previousId
                    + " became the user"));
        }
        if (user.equals(lead)) {
            return Result.skipped("one contact already: previousId " + previousId + " and userId " + userId);
        }
        WriteResult merged = writer.mergeContacts(lead, user);
        if (merged.isRejected()) {
            return Result.rejected("merge of lead " + lead + " into user " + user + ": " + merged.reason());
        }
        return Result.applied(user, List.of("merged the lead of " + previousId + " (" + lead + ") into it"));
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

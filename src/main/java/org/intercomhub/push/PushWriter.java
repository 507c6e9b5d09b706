package org.intercomhub.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.intercom.ContactMatch;
import org.intercomhub.intercom.DataAttribute;
import org.intercomhub.intercom.IntercomWriter;
import org.intercomhub.intercom.WriteResult;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.intercomhub.push.PushAction.Kind;
import static org.intercomhub.push.PushDefinition.Mode;

/**
 * Decides what a row does to Intercom ({@link #plan}) and does it ({@link #apply}) through the shared
 * {@link IntercomWriter}, so pushes spend the same rate budget as the pulls. A key written before is addressed by
 * the Intercom id the hub remembers: one request per changed row, no search.
 */
public final class PushWriter {

    private final IntercomWriter intercom;

    public PushWriter(IntercomWriter intercom) {
        this.intercom = intercom;
    }

    public PushAction plan(PushRun run, PushRow row, PushState.Remembered remembered) {
        PushDefinition sync = run.sync();
        if (row.isRejected()) {
            return PushAction.reject(row, row.rejection());
        }
        String knownId = remembered == null || "deleted".equals(remembered.outcome()) ? null : remembered.intercomId();
        if (remembered != null && row.hash().equals(remembered.rowHash())) {
            return PushAction.of(Kind.UNCHANGED, row, knownId, true, Map.of());
        }
        if (sync.object() == PushObject.EVENT) {
            return PushAction.of(Kind.SEND, row, null, false, Map.of());
        }
        Map<String, String> newAttributes = Map.of();
        if (sync.mode() == Mode.UPSERT || sync.mode() == Mode.UPDATE_ONLY) {
            newAttributes = unknownAttributes(run, row);
            if (!newAttributes.isEmpty() && !sync.createAttributes()) {
                return PushAction.reject(row, "unknown attribute" + (newAttributes.size() > 1 ? "s " : " ")
                        + String.join(", ", newAttributes.keySet()) + ": Intercom has no such " + model(sync)
                        + " attribute (create it in Intercom, or set create-attributes: true)");
            }
        }
        return sync.object() == PushObject.COMPANY ? planCompany(sync, row, knownId, newAttributes)
                : planContact(sync, row, knownId, newAttributes);
    }

    private PushAction planContact(PushDefinition sync, PushRow row, String knownId, Map<String, String> attributes) {
        Kind onFound = switch (sync.mode()) {
            case ARCHIVE -> Kind.ARCHIVE;
            case DELETE -> Kind.DELETE;
            default -> Kind.UPDATE;
        };
        if (knownId != null) {
            return PushAction.of(onFound, row, knownId, true, attributes);
        }
        ContactMatch match = intercom.findContacts(sync.contactMatch(), row.key());
        return switch (match.kind()) {
            case ONE -> PushAction.of(onFound, row, match.id(), false, attributes);
            case SEVERAL -> PushAction.reject(row, match.ambiguity());
            case NONE -> sync.mode() == Mode.UPSERT && sync.contactMatch() != ContactMatch.MatchField.ID
                    ? PushAction.of(Kind.CREATE, row, null, false, attributes)
                    : PushAction.reject(row, "not_found: no contact has " + sync.match() + "=" + row.key());
        };
    }

    private PushAction planCompany(PushDefinition sync, PushRow row, String knownId, Map<String, String> attributes) {
        if (sync.mode() == Mode.UPSERT) {
            return PushAction.of(Kind.UPSERT, row, knownId, knownId != null, attributes);
        }
        String id = knownId != null ? knownId : intercom.findCompany(row.key());
        if (id == null) {
            return PushAction.reject(row, "not_found: no company has company_id=" + row.key());
        }
        return PushAction.of(sync.mode() == Mode.DELETE ? Kind.DELETE : Kind.UPDATE, row, id, knownId != null,
                attributes);
    }

    /** Writes what the plan says; a remembered id Intercom no longer knows is looked up again, once. */
    public WriteResult apply(PushRun run, PushAction action) {
        PushDefinition sync = run.sync();
        PushRow row = action.row();
        if (action.kind() == Kind.REJECT) {
            return WriteResult.rejected(action.intercomId(), action.reason());
        }
        if (action.kind() == Kind.UNCHANGED) {
            return WriteResult.unchanged(action.intercomId(), null);
        }
        WriteResult attributes = createAttributes(run, action.newAttributes());
        if (attributes != null) {
            return attributes;
        }
        boolean company = sync.object() == PushObject.COMPANY;
        WriteResult result = switch (action.kind()) {
            case SEND -> intercom.submitEvent(row.body());
            case CREATE -> intercom.createContact(withMatch(sync, row));
            case UPSERT -> intercom.upsertCompany(row.body());
            case UPDATE -> company ? intercom.updateCompany(action.intercomId(), row.body())
                    : intercom.updateContact(action.intercomId(), row.body());
            case ARCHIVE -> intercom.archiveContact(action.intercomId());
            case DELETE -> company ? intercom.deleteCompany(action.intercomId())
                    : intercom.deleteContact(action.intercomId());
            default -> throw new IllegalStateException("no write for " + action.kind());
        };
        if (result.isRejected() && action.remembered() && isNotFound(result)
                && sync.contactMatch() != ContactMatch.MatchField.ID) {
            // deleted in Intercom since the hub wrote it: find it again (or create it, upsert) as for a new key
            return apply(run, plan(run, row, null));
        }
        if (!result.isRejected() && row.companyId() != null
                && (action.kind() == Kind.CREATE || action.kind() == Kind.UPDATE)) {
            return attach(run, result, row.companyId());
        }
        return result;
    }

    private WriteResult attach(PushRun run, WriteResult written, String companyId) {
        String companyIntercomId = run.companyIds.computeIfAbsent(companyId, id -> {
            String found = intercom.findCompany(id);
            return found == null ? "" : found;
        });
        if (companyIntercomId.isEmpty()) {
            run.companyIds.remove(companyId); // it may be created later in the run by a company sync
            return WriteResult.rejected(written.intercomId(), "written, but company_id " + companyId
                    + " is not in Intercom, so the contact is not attached to it; tried again next run");
        }
        WriteResult attached = intercom.attach(written.intercomId(), companyIntercomId);
        if (attached.isRejected()) {
            return WriteResult.rejected(written.intercomId(), "written, but not attached to company_id " + companyId
                    + ": " + attached.reason());
        }
        return written;
    }

    /** The row's custom attributes Intercom does not have (name → data type the value suggests). */
    private Map<String, String> unknownAttributes(PushRun run, PushRow row) {
        if (row.attributes().isEmpty()) {
            return Map.of();
        }
        Set<String> known = run.knownAttributes;
        if (known == null) {
            synchronized (run) {
                if (run.knownAttributes == null) {
                    run.knownAttributes = java.util.concurrent.ConcurrentHashMap.newKeySet();
                    intercom.listDataAttributes(model(run.sync())).stream()
                            .filter(DataAttribute::custom).filter(a -> !a.archived())
                            .map(DataAttribute::name).forEach(run.knownAttributes::add);
                }
                known = run.knownAttributes;
            }
        }
        Map<String, String> unknown = new LinkedHashMap<>();
        for (Map.Entry<String, String> attribute : row.attributes().entrySet()) {
            if (!known.contains(attribute.getKey())) {
                unknown.put(attribute.getKey(), attribute.getValue() == null ? "string" : attribute.getValue());
            }
        }
        return unknown;
    }

    /** Creates the attributes a row needs (each once per run); a refusal rejects the row, naming the attribute. */
    private WriteResult createAttributes(PushRun run, Map<String, String> attributes) {
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            synchronized (run) {
                if (run.knownAttributes.contains(attribute.getKey())) {
                    continue;
                }
                String refused = run.refusedAttributes.get(attribute.getKey());
                if (refused == null) {
                    WriteResult created = intercom.createDataAttribute(model(run.sync()), attribute.getKey(),
                            attribute.getValue());
                    if (!created.isRejected()) {
                        run.knownAttributes.add(attribute.getKey());
                        continue;
                    }
                    refused = "could not create the " + model(run.sync()) + " attribute " + attribute.getKey() + ": "
                            + created.reason();
                    run.refusedAttributes.put(attribute.getKey(), refused);
                }
                return WriteResult.rejected(null, refused);
            }
        }
        return null;
    }

    private static ObjectNode withMatch(PushDefinition sync, PushRow row) {
        ObjectNode body = row.body().deepCopy();
        body.put(sync.contactMatch().apiName(), row.key());
        return body;
    }

    private static boolean isNotFound(WriteResult result) {
        return result.reason() != null && (result.reason().startsWith("not_found") || result.reason().startsWith("HTTP 404"));
    }

    static String model(PushDefinition sync) {
        return sync.object() == PushObject.COMPANY ? "company" : "contact";
    }

    /** For a preview: what a company upsert would do, by asking Intercom whether the company_id exists. */
    String companyUpsertOutcome(PushAction action) {
        return action.intercomId() != null || intercom.findCompany(action.row().key()) != null ? "updated" : "created";
    }
}

package org.intercomhub.push;

import java.util.List;

import static org.intercomhub.push.PushDefinition.Missing;
import static org.intercomhub.push.PushDefinition.Mode;

/** What a push sync's rows become in Intercom, with the match fields, modes and missing actions each allows. */
public enum PushObject {
    /** A contact whose role comes from the model's {@code role} column (Intercom makes a user when there is none). */
    CONTACT(null),
    USER("user"),
    LEAD("lead"),
    /** Companies have no archive in Intercom's API: only delete. */
    COMPANY(null),
    EVENT(null);

    private final String role;

    PushObject(String role) {
        this.role = role;
    }

    /** The role every contact of this object gets, or null when the row says (or for non-contacts). */
    public String role() {
        return role;
    }

    public boolean isContact() {
        return this == CONTACT || this == USER || this == LEAD;
    }

    List<String> matches() {
        return switch (this) {
            case COMPANY -> List.of("company_id");
            case EVENT -> List.of("event_id");
            default -> List.of("email", "external_id", "id");
        };
    }

    List<Mode> modes() {
        return switch (this) {
            case COMPANY -> List.of(Mode.UPSERT, Mode.UPDATE_ONLY, Mode.DELETE);
            case EVENT -> List.of(Mode.SEND);
            default -> List.of(Mode.UPSERT, Mode.UPDATE_ONLY, Mode.ARCHIVE, Mode.DELETE);
        };
    }

    List<Missing> missingActions() {
        return switch (this) {
            case COMPANY -> List.of(Missing.KEEP, Missing.DELETE);
            case EVENT -> List.of(Missing.KEEP);
            default -> List.of(Missing.KEEP, Missing.ARCHIVE, Missing.DELETE);
        };
    }
}

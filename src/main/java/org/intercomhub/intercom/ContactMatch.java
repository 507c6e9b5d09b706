package org.intercomhub.intercom;

import java.util.List;

/**
 * The contacts Intercom holds for one match value: none, exactly one, or several. Several is reported as such and
 * never resolved by taking the first (RudderStack's mistake): the caller rejects the row as ambiguous.
 *
 * @param field the match field
 * @param value the value looked up
 * @param ids   Intercom ids of the matches on the first page of the search (at most {@link IntercomWriter#MATCH_PAGE})
 * @param total how many contacts matched in all
 */
public record ContactMatch(MatchField field, String value, List<String> ids, int total) {

    /** How a row is matched to an Intercom contact. */
    public enum MatchField {
        EMAIL("email"), EXTERNAL_ID("external_id"), ID("id");

        private final String apiName;

        MatchField(String apiName) {
            this.apiName = apiName;
        }

        /** The contact field's name in Intercom's API. */
        public String apiName() {
            return apiName;
        }
    }

    public enum Kind { NONE, ONE, SEVERAL }

    public ContactMatch {
        ids = List.copyOf(ids);
    }

    public Kind kind() {
        return total == 0 ? Kind.NONE : total == 1 ? Kind.ONE : Kind.SEVERAL;
    }

    /** The single match's id; only for {@link Kind#ONE}. */
    public String id() {
        if (kind() != Kind.ONE) {
            throw new IllegalStateException(total + " contacts match " + field.apiName() + "=" + value + ", not one");
        }
        return ids.get(0);
    }

    /** Why a row with this match is ambiguous, naming the contacts. */
    public String ambiguity() {
        return "ambiguous: " + total + " contacts have " + field.apiName() + "=" + value + " (" + String.join(", ", ids)
                + (total > ids.size() ? ", ..." : "") + ")";
    }
}

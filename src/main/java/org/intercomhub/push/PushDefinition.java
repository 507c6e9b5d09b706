package org.intercomhub.push;

import org.intercomhub.InvalidSettingException;
import org.intercomhub.intercom.ContactMatch;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One sync declared in routes/intercom-push.camel.yaml (a {@code templatedRoute} of the {@code intercom-push}
 * template), read from its parameters and checked at start-up: an object, match, mode or missing value that does not
 * fit stops the hub naming the sync and the parameter.
 *
 * @param sync             the sync's name (route id {@code push-<sync>})
 * @param object           what the rows become
 * @param match            how a row finds its Intercom record: a contact field, {@code company_id} or {@code event_id}
 * @param mode             what is done to the matched record
 * @param query            the model's SQL
 * @param source           the data source the query runs on: {@code warehouse} or a name under {@code push.sources}
 * @param missing          what happens to keys that left the model since the last run
 * @param syncNulls        true: a null column clears the Intercom field; false: leaves it as it is
 * @param createAttributes true: a column that is no Intercom attribute yet is created first; false: the row is
 *                         rejected naming it
 */
public record PushDefinition(String sync, PushObject object, String match, Mode mode, String query, String source,
                             Missing missing, boolean syncNulls, boolean createAttributes) {

    public static final String TEMPLATE = "intercom-push";

    /** What a sync does to the record a row matches. */
    public enum Mode { UPSERT, UPDATE_ONLY, ARCHIVE, DELETE, SEND }

    /** What happens to the Intercom records of keys that left the model. */
    public enum Missing { KEEP, ARCHIVE, DELETE }

    /** The contact field rows are matched on; only for contact syncs. */
    public ContactMatch.MatchField contactMatch() {
        return ContactMatch.MatchField.valueOf(match.toUpperCase(Locale.ROOT));
    }

    /** A fingerprint of what changes the request a row becomes: a changed sync definition sends every row again. */
    String requestShape() {
        return object + "|" + match + "|" + mode + "|" + syncNulls;
    }

    /** Reads and checks a templated route's parameters (defaults of the template included). */
    public static PushDefinition of(Map<String, Object> parameters) {
        String sync = text(parameters, "sync", null);
        if (sync == null || !sync.matches("[A-Za-z0-9_-]{1,100}")) {
            throw invalid(sync, "sync", sync, "letters, digits, '_' and '-', at most 100");
        }
        PushObject object = choice(sync, "object", text(parameters, "object", null), PushObject.class);
        Mode mode = choice(sync, "mode", text(parameters, "mode", null), Mode.class);
        Missing missing = choice(sync, "missing", text(parameters, "missing", "keep"), Missing.class);
        String match = text(parameters, "match", null);
        String query = text(parameters, "query", null);
        if (query == null || query.isBlank()) {
            throw invalid(sync, "query", query, "the model's SQL");
        }
        if (!object.matches().contains(match)) {
            throw invalid(sync, "match", match, String.join(", ", object.matches()));
        }
        if (!object.modes().contains(mode)) {
            throw invalid(sync, "mode", lower(mode), object.modes().stream().map(PushDefinition::lower)
                    .collect(Collectors.joining(", ")));
        }
        if (!object.missingActions().contains(missing)) {
            throw invalid(sync, "missing", lower(missing), object.missingActions().stream()
                    .map(PushDefinition::lower).collect(Collectors.joining(", ")));
        }
        return new PushDefinition(sync, object, match, mode, query.strip(), text(parameters, "source", "warehouse"),
                missing, bool(sync, parameters, "sync-nulls"), bool(sync, parameters, "create-attributes"));
    }

    private static String text(Map<String, Object> parameters, String name, String fallback) {
        Object value = parameters.get(name);
        return value == null ? fallback : value.toString().strip();
    }

    private static boolean bool(String sync, Map<String, Object> parameters, String name) {
        String value = text(parameters, name, "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw invalid(sync, name, value, "true, false");
        }
        return Boolean.parseBoolean(value);
    }

    private static <E extends Enum<E>> E choice(String sync, String name, String value, Class<E> type) {
        String allowed = Arrays.stream(type.getEnumConstants()).map(PushDefinition::lower)
                .collect(Collectors.joining(", "));
        if (value == null) {
            throw invalid(sync, name, null, allowed);
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw invalid(sync, name, value, allowed);
        }
    }

    static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static InvalidSettingException invalid(String sync, String parameter, String value, String allowed) {
        return new InvalidSettingException("push sync " + (sync == null ? "(unnamed)" : sync) + ": " + parameter
                + (value == null ? " is missing" : " '" + value + "' is not allowed") + "; allowed: " + allowed,
                "Correct the sync's parameters in routes/intercom-push.camel.yaml.");
    }
}

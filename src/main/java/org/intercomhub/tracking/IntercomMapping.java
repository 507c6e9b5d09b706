package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.intercomhub.intercom.IntercomWriter;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Segment calls as Intercom writes, as Customer.io's Intercom destination maps them: identify → contact (email, name or
 * first/last name, phone, avatar, createdAt → signed_up_at, company, other traits → custom attributes), group →
 * company (groupId → company_id, name, plan, monthly_spend, size, industry, website, createdAt → remote_created_at,
 * other traits → custom attributes), track → event (event → event_name, timestamp → created_at, properties → at most
 * ten flat metadata keys, revenue → price in cents), page and screen → the contact of context.traits with
 * last_seen_at ({@link #seenAt}). Objects in traits and properties are flattened ({@link #flattened}). Pure: no I/O.
 */
public final class IntercomMapping {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Intercom's attribute names: letters, digits, currency symbols, hyphens, underscores and spaces. */
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[\\p{L}\\p{N}\\p{Sc}_\\- ]+");
    static final int MAX_METADATA_KEYS = 10;

    private static final Set<String> CONTACT_TRAITS = Set.of("email", "name", "firstName", "first_name", "lastName",
            "last_name", "phone", "avatar", "createdAt", "created_at", "company", "id", "userId", "user_id");
    private static final Set<String> COMPANY_TRAITS = Set.of("id", "name", "plan", "monthly_spend", "monthlySpend",
            "size", "employees", "employee_count", "industry", "website", "createdAt", "created_at");

    /** What a write carries beyond its standard fields, and what was left out and why. */
    public record Mapped(ObjectNode fields, Map<String, JsonNode> custom, List<String> notes) {
    }

    private IntercomMapping() {
    }

    // ------------------------------------------------------------------ identify

    /** The contact fields of an identify (without role, external_id and custom_attributes). */
    public static Mapped contact(JsonNode call) {
        JsonNode traits = call.path("traits");
        ObjectNode fields = NODES.objectNode();
        List<String> notes = new ArrayList<>();
        text(traits, "email").ifPresent(v -> fields.put("email", v));
        String name = name(call);
        if (name != null) {
            fields.put("name", name);
        }
        text(traits, "phone").ifPresent(v -> fields.put("phone", v));
        text(traits, "avatar").ifPresent(v -> fields.put("avatar", v));
        JsonNode createdAt = traits.has("createdAt") ? traits.get("createdAt") : traits.get("created_at");
        Long signedUp = epochSeconds(createdAt);
        if (signedUp != null) {
            fields.put("signed_up_at", signedUp);
        } else if (createdAt != null && !createdAt.isNull()) {
            notes.add("createdAt is not a date: left out");
        }
        return new Mapped(fields, custom(traits, CONTACT_TRAITS, notes), notes);
    }

    /** traits.name, else first and last name joined. */
    static String name(JsonNode call) {
        JsonNode traits = call.path("traits");
        String name = textOr(traits, "name");
        if (name == null) {
            String first = textOr(traits, "firstName", "first_name");
            String last = textOr(traits, "lastName", "last_name");
            if (first != null || last != null) {
                name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
            }
        }
        return name;
    }

    /** The identify's {@code traits.company}, as a group's traits (its id, else its name, is the company_id). */
    public static JsonNode companyTrait(JsonNode call) {
        JsonNode company = call.path("traits").get("company");
        if (company == null || company.isNull()) {
            return null;
        }
        if (company.isTextual()) {
            return company.asText().isBlank() ? null : NODES.objectNode().put("name", company.asText());
        }
        return company.isObject() ? company : null;
    }

    public static String companyId(JsonNode company) {
        String id = textOr(company, "id");
        return id != null ? id : textOr(company, "name");
    }

    // ------------------------------------------------------------------ group

    /** The company fields of a group's traits, with {@code company_id}. */
    public static Mapped company(String companyId, JsonNode traits) {
        ObjectNode fields = NODES.objectNode();
        List<String> notes = new ArrayList<>();
        fields.put("company_id", companyId);
        for (String field : new String[]{"name", "plan", "industry", "website"}) {
            JsonNode v = traits.get(field);
            if (v != null && (v.isTextual() || v.isNumber())) {
                fields.put(field, v.asText());
            }
        }
        JsonNode spend = traits.has("monthly_spend") ? traits.get("monthly_spend") : traits.get("monthlySpend");
        if (spend != null && spend.isNumber()) {
            fields.set("monthly_spend", spend);
        }
        for (String field : new String[]{"size", "employees", "employee_count"}) {
            JsonNode v = traits.get(field);
            // a count, also when a library sent it as text ("250")
            boolean count = v != null
                    && (v.isIntegralNumber() || v.isTextual() && v.asText().trim().matches("\\d{1,18}"));
            if (count && !fields.has("size")) {
                fields.put("size", Long.parseLong(v.asText().trim()));
            }
        }
        Long created = epochSeconds(traits.has("createdAt") ? traits.get("createdAt") : traits.get("created_at"));
        if (created != null) {
            fields.put("remote_created_at", created);
        }
        return new Mapped(fields, custom(traits, COMPANY_TRAITS, notes), notes);
    }

    // ------------------------------------------------------------------ track

    /**
     * The event of a track (without the contact): event_name, created_at in seconds (the call's timestamp, else
     * when the hub received it), metadata. {@code revenue} becomes {@code price} in cents with the call's currency
     * (USD when none); an object property is flattened ({@code cart: {items: 2}} is {@code cart_items}) unless it is
     * one of Intercom's own (a Monetary Amount {@code {amount, currency}} or a Rich Link {@code {url, value}}), a
     * list is left out; of the rest, the first ten keys are kept.
     */
    public static Mapped event(JsonNode call) {
        ObjectNode event = NODES.objectNode();
        List<String> notes = new ArrayList<>();
        event.put("event_name", call.path("event").asText());
        Long created = epochSeconds(call.get("timestamp"));
        if (created == null) {
            created = epochSeconds(call.get("receivedAt"));
        }
        event.put("created_at", created == null ? Instant.now().getEpochSecond() : created);
        JsonNode properties = call.path("properties");
        Map<String, JsonNode> metadata = new LinkedHashMap<>();
        JsonNode revenue = properties.get("revenue");
        if (revenue != null && revenue.isNumber()) {
            String currency = properties.path("currency").isTextual() ? properties.get("currency").asText() : "usd";
            long cents = revenue.decimalValue().multiply(BigDecimal.valueOf(100)).setScale(0, RoundingMode.HALF_UP)
                    .longValueExact();
            metadata.put("price", NODES.objectNode().put("amount", cents).put("currency", currency.toLowerCase()));
        }
        List<String> dropped = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (metadata.containsKey("price") && (key.equals("revenue") || key.equals("currency"))) {
                continue;
            }
            BiConsumer<String, JsonNode> keep = (name, value) -> {
                if (value.isNull() || metadata.containsKey(name)) {
                    return;
                }
                if (metadata.size() >= MAX_METADATA_KEYS) {
                    dropped.add(name);
                } else {
                    metadata.put(name, value);
                }
            };
            if (IntercomWriter.metadataObject(v)) {
                keep.accept(key, v);
            } else {
                flattened(key, v, "property", keep, notes);
            }
        }
        if (!dropped.isEmpty()) {
            notes.add("Intercom keeps " + MAX_METADATA_KEYS + " metadata keys: left out " + String.join(", ", dropped));
        }
        if (!metadata.isEmpty()) {
            ObjectNode node = event.putObject("metadata");
            metadata.forEach(node::set);
        }
        return new Mapped(event, Map.of(), notes);
    }

    /**
     * When a page or screen was viewed, in UNIX seconds: the call's timestamp, but never later than when the hub
     * received it (a client clock running ahead does not put the contact in the future); null when neither is known.
     */
    public static Long seenAt(JsonNode call) {
        Long at = epochSeconds(call.get("timestamp"));
        Long received = epochSeconds(call.get("receivedAt"));
        if (at == null) {
            return received;
        }
        return received != null && at > received ? received : at;
    }

    /** The track's email when it has no userId: properties.email, else context.traits.email. */
    public static String email(JsonNode call) {
        String email = textOr(call.path("properties"), "email");
        if (email == null) {
            email = textOr(call.path("traits"), "email");
        }
        return email != null ? email : textOr(call.path("context").path("traits"), "email");
    }

    // ------------------------------------------------------------------ values

    /**
     * Traits that are not standard fields, as custom attributes (Intercom's are flat): strings, numbers and booleans
     * under a name Intercom takes; an object's scalars under its name and theirs joined with '_' ({@code address:
     * {city: "Paris"}} is {@code address_city}, as RudderStack's Intercom destination does since its issue #2471), after
     * the traits of their own (a trait named {@code address_city} wins); lists and names Intercom refuses are left out
     * with a note.
     */
    private static Map<String, JsonNode> custom(JsonNode traits, Set<String> standard, List<String> notes) {
        Map<String, JsonNode> custom = new LinkedHashMap<>();
        BiConsumer<String, JsonNode> keep = (name, value) -> {
            if (!ATTRIBUTE_NAME.matcher(name).matches()) {
                notes.add("trait " + name + ": Intercom's attribute names take letters, digits, _, - and spaces"
                        + " only: left out");
            } else if (custom.containsKey(name) || standard.contains(name)) {
                notes.add("trait " + name + " (flattened) is also a trait of its own: left out");
            } else {
                custom.put(name, value);
            }
        };
        List<Map.Entry<String, JsonNode>> nested = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = traits.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (standard.contains(e.getKey())) {
                continue;
            }
            if (e.getValue().isObject()) {
                nested.add(e);
            } else {
                flattened(e.getKey(), e.getValue(), "trait", keep, notes);
            }
        }
        nested.forEach(e -> flattened(e.getKey(), e.getValue(), "trait", keep, notes));
        return custom;
    }

    /**
     * Each scalar of {@code value} to {@code keep} under its name: an object's keys joined to {@code name} with '_', at
     * any depth. A list is left out with a note: one attribute or key per element would fill Intercom's limits.
     */
    static void flattened(String name, JsonNode value, String what, BiConsumer<String, JsonNode> keep,
                          List<String> notes) {
        if (value.isObject()) {
            value.fields().forEachRemaining(e -> flattened(name + "_" + e.getKey(), e.getValue(), what, keep, notes));
        } else if (value.isArray()) {
            notes.add(what + " " + name + " is a list: left out");
        } else {
            keep.accept(name, value);
        }
    }


    /** ISO-8601 (date-time or date) or a number (seconds, or milliseconds when that large) as UNIX seconds. */
    static Long epochSeconds(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            long n = value.asLong();
            return n > 100_000_000_000L ? n / 1000 : n;
        }
        if (!value.isTextual()) {
            return null;
        }
        String text = value.asText().trim();
        try {
            return OffsetDateTime.parse(text).toEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text).getEpochSecond();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDate.parse(text).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    return null;
                }
            }
        }
    }

    private static java.util.Optional<String> text(JsonNode node, String field) {
        return java.util.Optional.ofNullable(textOr(node, field));
    }

    static String textOr(JsonNode node, String... fields) {
        if (node == null) {
            return null;
        }
        for (String field : fields) {
            JsonNode v = node.get(field);
            if (v != null && (v.isTextual() || v.isNumber()) && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }
}

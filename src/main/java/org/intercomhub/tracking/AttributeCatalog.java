package org.intercomhub.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import org.intercomhub.intercom.DataAttribute;
import org.intercomhub.intercom.IntercomWriter;
import org.intercomhub.intercom.WriteResult;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The contact and company attributes Intercom has, so that a trait never seen before is created as a custom attribute
 * before it is written (Intercom refuses a write naming an attribute it does not have; peers drop such traits). Read
 * from Intercom once per model, then kept up to date by what this hub creates.
 */
public class AttributeCatalog {

    private final IntercomWriter writer;
    private final Map<String, Set<String>> known = new ConcurrentHashMap<>();

    public AttributeCatalog(IntercomWriter writer) {
        this.writer = writer;
    }

    /** Null when the attribute exists or was created; else Intercom's reason it cannot be. */
    public String ensure(String model, String name, JsonNode value) {
        Set<String> names = known.computeIfAbsent(model, m -> {
            Set<String> listed = ConcurrentHashMap.newKeySet();
            writer.listDataAttributes(m).stream().filter(a -> !a.archived()).map(DataAttribute::name)
                    .forEach(listed::add);
            return listed;
        });
        if (names.contains(name)) {
            return null;
        }
        WriteResult created = writer.createDataAttribute(model, name, dataType(value));
        if (created.isRejected()) {
            return created.reason();
        }
        names.add(name);
        return null;
    }

    static String dataType(JsonNode value) {
        if (value.isBoolean()) {
            return "boolean";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        return value.isNumber() ? "float" : "string";
    }
}

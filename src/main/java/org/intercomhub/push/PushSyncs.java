package org.intercomhub.push;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The push syncs declared in routes/intercom-push.camel.yaml: every route made from the {@code intercom-push}
 * template, read from the parameters it was made with. Read once the routes are loaded; a sync whose parameters do
 * not fit stops start-up naming them.
 */
public class PushSyncs {

    private volatile Map<String, PushDefinition> syncs = Map.of();

    public void load(CamelContext camel) {
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        Map<String, PushDefinition> found = new TreeMap<>();
        for (Route route : camel.getRoutes()) {
            // the template's routes are the ones scheduled as quartz:intercom-push/<sync>
            if (!(route.getEndpoint() instanceof QuartzEndpoint schedule)
                    || !PushDefinition.TEMPLATE.equals(schedule.getGroupName())) {
                continue;
            }
            RouteDefinition definition = model.getRouteDefinition(route.getRouteId());
            Map<String, Object> parameters = new HashMap<>();
            if (definition.getTemplateDefaultParameters() != null) {
                parameters.putAll(definition.getTemplateDefaultParameters());
            }
            parameters.putAll(definition.getTemplateParameters());
            // values may hold placeholders of application.yaml ({{warehouse.schema}}): as the route sees them
            parameters.replaceAll((name, value) -> value instanceof String text
                    ? camel.resolvePropertyPlaceholders(text) : value);
            PushDefinition sync = PushDefinition.of(parameters);
            if (found.put(sync.sync(), sync) != null) {
                throw new org.intercomhub.InvalidSettingException("push sync " + sync.sync() + " is declared twice",
                        "Give each sync in routes/intercom-push.camel.yaml its own name.");
            }
        }
        syncs = Map.copyOf(found);
    }

    public PushDefinition get(String sync) {
        return syncs.get(sync);
    }

    public Map<String, PushDefinition> all() {
        return new TreeMap<>(syncs);
    }
}

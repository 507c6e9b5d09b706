package org.intercomhub.push;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.intercomhub.InvalidSettingException;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The push syncs declared in routes/intercom-push.camel.yaml: every route made from the {@code intercom-push}
 * template, read from the parameters it was made with as the route is added, so that a sync whose parameters do not
 * fit stops start-up naming them, before any route runs. Each route gets the id {@code push-<sync>} unless its
 * templatedRoute names one (Camel would otherwise number it).
 */
public class PushSyncs extends ModelLifecycleStrategySupport {

    private final CamelContext camel;
    private final Map<String, PushDefinition> syncs = new ConcurrentSkipListMap<>();

    /** Registers with the context's model; made as a bean, so before the routes are loaded. */
    public PushSyncs(CamelContext camel) {
        this.camel = camel;
        camel.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(this);
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        Map<String, Object> given = route.getTemplateParameters();
        String from = route.getInput() == null ? null : route.getInput().getEndpointUri();
        // the template's routes are the ones scheduled as quartz:intercom-push/<sync>
        if (given == null || from == null || !from.startsWith("quartz:" + PushDefinition.TEMPLATE + "/")) {
            return;
        }
        Map<String, Object> parameters = new HashMap<>();
        if (route.getTemplateDefaultParameters() != null) {
            parameters.putAll(route.getTemplateDefaultParameters());
        }
        parameters.putAll(given);
        // values may hold placeholders of application.yaml ({{warehouse.schema}}): as the route sees them
        parameters.replaceAll((name, value) -> value instanceof String text
                ? camel.resolvePropertyPlaceholders(text) : value);
        PushDefinition sync = PushDefinition.of(parameters);
        if (syncs.putIfAbsent(sync.sync(), sync) != null) {
            throw new InvalidSettingException("push sync " + sync.sync() + " is declared twice",
                    "Give each sync in routes/intercom-push.camel.yaml its own name.");
        }
        if (route.getId() == null) {
            route.setId("push-" + sync.sync());
        }
    }

    @Override
    public void onRemoveRouteDefinition(RouteDefinition route) {
        syncs.values().removeIf(sync -> ("push-" + sync.sync()).equals(route.getId()));
    }

    public PushDefinition get(String sync) {
        return syncs.get(sync);
    }

    public Map<String, PushDefinition> all() {
        return new TreeMap<>(syncs);
    }
}

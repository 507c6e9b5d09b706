package org.intercomhub.fanout;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.ProducerTemplate;
import org.intercomhub.record.CanonicalRecord;

import java.util.List;

/**
 * A branch whose deliveries go through its route file: {@code direct:<name>-send} takes a list of records and answers
 * one {@link Outcome} per record, in order (routes/analytics.camel.yaml, routes/crm.camel.yaml). The timer route of
 * the branch and the dead-letter replay both deliver through it, so the endpoint the route names is the only way out.
 */
public abstract class RoutedBranch implements Branch, CamelContextAware {

    private volatile CamelContext camel;
    private volatile ProducerTemplate producer;

    @Override
    public CamelContext getCamelContext() {
        return camel;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camel = camelContext;
        this.producer = null;
    }

    /** The route that delivers: {@code direct:<name>-send}. */
    public String sendEndpoint() {
        return "direct:" + name() + "-send";
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Outcome> deliver(List<CanonicalRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        ProducerTemplate template = producer;
        if (template == null) {
            if (camel == null) {
                throw new IllegalStateException(name() + ": no Camel context to deliver through");
            }
            template = camel.createProducerTemplate();
            producer = template;
        }
        return template.requestBody(sendEndpoint(), records, List.class);
    }
}

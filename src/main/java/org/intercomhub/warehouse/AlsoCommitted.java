package org.intercomhub.warehouse;

import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;

/**
 * Bookkeeping writes that commit in the transaction of a warehouse write (the hub's tables and the warehouse are one
 * database, one connection pool): the branches' queue rows of a batch, a pull's checkpoint after its page. All of
 * them and the batch's warehouse rows are kept, or none: a crash anywhere loses nothing and repeats nothing but the
 * uncommitted page. The work may run more than once (the warehouse write retries a transaction that hit a
 * deadlock), each time in a fresh transaction.
 */
@FunctionalInterface
public interface AlsoCommitted {

    /** The exchange property the routes collect them in (routes/fanout.camel.yaml, routes/warehouse.camel.yaml). */
    String PROPERTY = "alsoCommitted";

    /** Writes through {@code transaction}: a template on the warehouse write's connection, inside its transaction. */
    void write(JdbcTemplate transaction);

    /** Adds {@code work} to what commits with the exchange's next warehouse write. */
    @SuppressWarnings("unchecked")
    static void add(Exchange exchange, AlsoCommitted work) {
        List<AlsoCommitted> all = exchange.getProperty(PROPERTY, List.class);
        if (all == null) {
            all = new ArrayList<>();
            exchange.setProperty(PROPERTY, all);
        }
        all.add(work);
    }
}

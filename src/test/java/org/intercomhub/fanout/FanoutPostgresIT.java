package org.intercomhub.fanout;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The fan-out contract against the local PostgreSQL server. */
@OnDatabase(ItDatabase.POSTGRES)
class FanoutPostgresIT extends FanoutContract {
}

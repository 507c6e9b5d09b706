package org.intercomhub.fanout;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The fan-out contract against the local MariaDB server. */
@OnDatabase(ItDatabase.MARIADB)
class FanoutMariaDbIT extends FanoutContract {
}

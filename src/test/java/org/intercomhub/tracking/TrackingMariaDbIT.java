package org.intercomhub.tracking;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The tracking API contract against the local MariaDB server. */
@OnDatabase(ItDatabase.MARIADB)
class TrackingMariaDbIT extends TrackingContract {
}

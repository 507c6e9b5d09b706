package org.intercomhub.tracking;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The tracking API contract against the local PostgreSQL server. */
@OnDatabase(ItDatabase.POSTGRES)
class TrackingPostgresIT extends TrackingContract {
}

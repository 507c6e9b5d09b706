package org.intercomhub.pull;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The pull-to-warehouse contract against the local PostgreSQL server. */
@OnDatabase(ItDatabase.POSTGRES)
class PostgresSyncIT extends WarehouseSyncContract {
}

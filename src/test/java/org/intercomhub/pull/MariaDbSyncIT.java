package org.intercomhub.pull;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The pull-to-warehouse contract against the local MariaDB server. */
@OnDatabase(ItDatabase.MARIADB)
class MariaDbSyncIT extends WarehouseSyncContract {
}

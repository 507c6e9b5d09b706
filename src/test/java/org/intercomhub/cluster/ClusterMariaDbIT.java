package org.intercomhub.cluster;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** Two hub instances on one MariaDB bookkeeping schema. */
@OnDatabase(ItDatabase.MARIADB)
class ClusterMariaDbIT extends ClusterContract {
}

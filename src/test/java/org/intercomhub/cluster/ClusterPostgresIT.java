package org.intercomhub.cluster;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** Two hub instances on one PostgreSQL bookkeeping schema. */
@OnDatabase(ItDatabase.POSTGRES)
class ClusterPostgresIT extends ClusterContract {
}

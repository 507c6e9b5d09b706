package org.intercomhub.push;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The push contract with its models on the local PostgreSQL server. */
@OnDatabase(ItDatabase.POSTGRES)
class PushPostgresIT extends PushContract {
}

package org.intercomhub.push;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The push contract with its models on the local MariaDB server. */
@OnDatabase(ItDatabase.MARIADB)
class PushMariaDbIT extends PushContract {
}

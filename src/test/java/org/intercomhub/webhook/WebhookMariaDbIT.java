package org.intercomhub.webhook;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The webhook contract against the local MariaDB server. */
@OnDatabase(ItDatabase.MARIADB)
class WebhookMariaDbIT extends WebhookContract {
}

package org.intercomhub.webhook;

import org.intercomhub.ItDatabase;
import org.intercomhub.OnDatabase;

/** The webhook contract against the local PostgreSQL server. */
@OnDatabase(ItDatabase.POSTGRES)
class WebhookPostgresIT extends WebhookContract {
}

package org.intercomhub.tracking;

import org.intercomhub.secrets.SecretDigests;

import java.util.List;

/** The tracking API's write keys (TRACKING_WRITE_KEYS), as digests compared in constant time. */
public final class WriteKeys extends SecretDigests {

    public WriteKeys(List<String> keys) {
        super(keys);
    }
}

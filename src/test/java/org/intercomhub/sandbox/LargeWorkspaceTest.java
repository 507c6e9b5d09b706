package org.intercomhub.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 200,000 contacts served lazily: the whole set is pulled through search at 150 per page and every contact comes
 * exactly once. The rate is printed, not asserted: speed is measured in bench/, not in the tests.
 */
class LargeWorkspaceTest {

    @Test
    void twoHundredThousandContactsArePagedThroughSearchExactlyOnce() {
        try (SandboxServer server = SandboxServer.start(SandboxConfig.builder().contacts(200_000).companies(3_000).build())) {
            SandboxHttp http = new SandboxHttp(server);
            java.util.BitSet seen = new java.util.BitSet(200_000);
            int served = 0;
            String after = null;
            long started = System.nanoTime();
            do {
                String pagination = "\"pagination\":{\"per_page\":150" + (after == null ? "" : ",\"starting_after\":\"" + after + "\"") + "}";
                SandboxHttp.Answer a = http.post("/contacts/search",
                        "{\"query\":{\"field\":\"updated_at\",\"operator\":\">\",\"value\":0},"
                                + "\"sort\":{\"field\":\"updated_at\",\"order\":\"ascending\"}," + pagination + "}");
                for (JsonNode c : a.json().path("data")) {
                    seen.set(SandboxIds.contactIndex(c.path("id").asText()));
                    served++;
                }
                JsonNode next = a.json().at("/pages/next");
                after = next.isMissingNode() ? null : next.path("starting_after").asText();
            } while (after != null);
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("sandbox served %d contacts in %.1f s (%.0f/s)%n", served, seconds, served / seconds);

            assertThat(served).isEqualTo(200_000);
            assertThat(seen.cardinality()).isEqualTo(200_000);
        }
    }
}

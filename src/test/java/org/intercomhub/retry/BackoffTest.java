package org.intercomhub.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    @Test
    void doublesPerFailureUpToTheCap() {
        assertThat(backoff.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.delay(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.delay(7)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(1_000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterKeepsAtLeastHalfTheDelayAndNeverMore() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.jittered(3)).isBetween(Duration.ofMillis(1_000), Duration.ofMillis(2_000));
        }
    }

    @Test
    void refusesBoundsThatMakeNoSense() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

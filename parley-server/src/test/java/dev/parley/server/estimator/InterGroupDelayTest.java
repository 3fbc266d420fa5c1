package dev.parley.server.estimator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InterGroupDelayTest {
    private final InterGroupDelay groups = new InterGroupDelay();

    @Test
    void packetsWithinFiveMillisecondsFormOneGroupAndGroupsAreComparedByTheirLastPacket() {
        assertThat(groups.add(0, 100_000)).isFalse();
        assertThat(groups.add(2_000, 101_000)).isFalse();          // same group
        assertThat(groups.add(33_000, 140_000)).isFalse();         // second group starts: nothing to compare yet
        assertThat(groups.add(34_000, 141_000)).isFalse();
        assertThat(groups.add(66_000, 190_000)).isTrue();          // second group complete
        assertThat(groups.sendDeltaMs()).isEqualTo(32.0);          // 34 - 2
        assertThat(groups.arrivalDeltaMs()).isEqualTo(40.0);       // 141 - 101: 8 ms of queue
        assertThat(groups.arrivalMicros()).isEqualTo(141_000);
    }

    @Test
    void aBurstArrivingTogetherAfterBeingSentApartIsMergedAndReorderedPacketsAreIgnored() {
        groups.add(0, 100_000);
        groups.add(10_000, 103_000);       // sent 10 ms later, arrived 3 ms later: the network catching up
        assertThat(groups.add(-5_000, 99_000)).isFalse();          // sent before the group: ignored
        groups.add(40_000, 140_000);
        assertThat(groups.add(80_000, 180_000)).isTrue();
        assertThat(groups.sendDeltaMs()).isEqualTo(30.0);          // from the merged group's last packet
        assertThat(groups.arrivalDeltaMs()).isEqualTo(37.0);
    }

    @Test
    void aBurstEndsAfterOneHundredMilliseconds() {
        // sent every 10 ms, arriving every 4 ms: each looks like the network catching up
        int completed = 0;
        for (int i = 0; i < 60; i++) {
            if (groups.add(i * 10_000L, 1_000_000 + i * 4_000L)) {
                completed++;
            }
        }
        assertThat(completed).as("a group every 100 ms of arrivals, not one for all").isGreaterThanOrEqualTo(1);
        assertThat(groups.arrivalDeltaMs()).isLessThanOrEqualTo(InterGroupDelay.MAX_BURST_MS + 5);
    }
}

package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** libwebrtc's pacer arithmetic, in synthetic time (nanoseconds from 0). */
class PacingBudgetTest {
    private static final long MS = 1_000_000L;

    /** Send times of {@code packets} packets of {@code size} bytes all queued at time 0. */
    static List<Long> sendTimes(PacingBudget b, int packets, int size) {
        List<Long> out = new ArrayList<>();
        long now = 0;
        while (out.size() < packets) {
            if (b.maySend(now)) {
                b.sent(size);
                out.add(now);
            } else {
                now = b.nextSendNanos();
            }
        }
        return out;
    }

    @Test
    void aKeyframeLeavesInBurstsOfOneIntervalOfThePacingRate() {
        // 1 Mbit/s camera x 2.5 = 312,500 B/s; 40 ms of it is 12,500 B: 12 packets of 1,100 B at once
        PacingBudget b = new PacingBudget(2.5 * 1_000_000, 40, 0);
        List<Long> t = sendTimes(b, 16, 1100);
        assertThat(t.subList(0, 12)).containsOnly(0L);
        // then libwebrtc waits until the whole debt (13,200 B) has drained: 42.24 ms
        assertThat(t.get(12)).isEqualTo(42_240_000L);
        assertThat(t.subList(12, 16)).containsOnly(42_240_000L);
    }

    @Test
    void aDeltaFrameLeavesAtOnceWhenTheDebtHasDrained() {
        PacingBudget b = new PacingBudget(2.5 * 1_000_000, 40, 0);
        assertThat(sendTimes(b, 4, 1100)).containsOnly(0L);
        // 33 ms later (the next frame at 30 fps) the 4,400 B have drained (14 ms): again at once
        assertThat(b.maySend(33 * MS)).isTrue();
        assertThat(b.debt()).isZero();
    }

    @Test
    void zeroBurstIntervalSpacesEveryPacketBySizeOverRate() {
        PacingBudget b = new PacingBudget(2.5 * 1_000_000, 0, 0);
        List<Long> t = sendTimes(b, 4, 1100);
        assertThat(t).containsExactly(0L, 3_520_000L, 7_040_000L, 10_560_000L);
    }

    @Test
    void idleTimeEarnsNoCredit() {
        PacingBudget b = new PacingBudget(1_000_000, 0, 0);
        assertThat(b.maySend(10_000 * MS)).isTrue();
        b.sent(1000);
        assertThat(b.maySend(10_000 * MS + 1)).isFalse();
        assertThat(b.nextSendNanos()).isEqualTo(10_000 * MS + 8 * MS);
    }

    @Test
    void aBurstIsCappedAt63KBLikeLibwebrtcs() {
        // 20 Mbit/s x 40 ms would be 100 KB; libwebrtc caps the burst debt at 63,000 B
        PacingBudget b = new PacingBudget(20_000_000, 40, 0);
        List<Long> t = sendTimes(b, 80, 1000);
        assertThat(t.stream().filter(x -> x == 0L).count()).isEqualTo(63);
    }
}

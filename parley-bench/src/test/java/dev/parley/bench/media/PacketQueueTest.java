package dev.parley.bench.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketQueueTest {

    @Test
    void firstInFirstOutAcrossTheWrap() {
        PacketQueue q = new PacketQueue(3, 16);
        byte[] b = new byte[16];
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 3; i++) {
                b[0] = (byte) (round * 3 + i);
                assertThat(q.offer(b, 1 + i, i)).isTrue();
            }
            assertThat(q.isFull()).isTrue();
            assertThat(q.offer(b, 1, 0)).isFalse();
            for (int i = 0; i < 3; i++) {
                assertThat(q.headBuffer()[0]).isEqualTo((byte) (round * 3 + i));
                assertThat(q.headLength()).isEqualTo(1 + i);
                assertThat(q.headTag()).isEqualTo(i);
                q.pop();
            }
            assertThat(q.isEmpty()).isTrue();
        }
    }
}

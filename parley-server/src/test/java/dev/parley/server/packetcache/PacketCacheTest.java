package dev.parley.server.packetcache;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketCacheTest {
    private final byte[] out = new byte[PacketCache.SLOT_SIZE + 10];

    private static byte[] packet(int seq, int len) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) seq);
        b[0] = (byte) (seq >> 8);
        return b;
    }

    private static int store(PacketCache c, int seq) {
        return store(c, seq, false);
    }

    private static int store(PacketCache c, int seq, boolean keyframe) {
        byte[] p = packet(seq, 100 + (seq % 50));
        return c.store(seq, seq * 3000L, keyframe, seq % 3 == 0, p, 0, p.length);
    }

    private void assertCached(PacketCache c, int seq) {
        int n = c.get(seq, out, 5);
        assertThat(n).as("seq %d", seq).isEqualTo(100 + (seq % 50));
        assertThat(Arrays.copyOfRange(out, 5, 5 + n)).isEqualTo(packet(seq, n));
    }

    @Test
    void MD13_storedPacketsAreReturnedBySeqIntoCallerBuffer() {
        PacketCache c = new PacketCache(128);
        for (int s = 1000; s < 1010; s++) {
            assertThat(store(c, s)).isGreaterThanOrEqualTo(0);
        }
        for (int s = 1000; s < 1010; s++) {
            assertCached(c, s);
            int slot = c.slotOf(s);
            assertThat(c.slotSequenceNumber(slot)).isEqualTo(s);
            assertThat(c.slotTimestamp(slot)).isEqualTo(s * 3000L);
            assertThat(c.slotMarker(slot)).isEqualTo(s % 3 == 0);
        }
        assertThat(c.get(999, out, 0)).isEqualTo(-1);
        assertThat(c.get(1010, out, 0)).isEqualTo(-1);
        assertThat(c.get(1005, new byte[50], 0)).isEqualTo(-1);
        assertThat(c.lastSequenceNumber()).isEqualTo(1009);
    }

    @Test
    void ringKeepsOnlyTheNewestCapacityPackets() {
        PacketCache c = new PacketCache(128);
        for (int s = 0; s < 300; s++) {
            store(c, s);
        }
        for (int s = 0; s < 172; s++) {
            assertThat(c.get(s, out, 0)).as("seq %d", s).isEqualTo(-1);
        }
        for (int s = 172; s < 300; s++) {
            assertCached(c, s);
        }
    }

    @Test
    void sequenceWrapIsTransparent() {
        PacketCache c = new PacketCache(128);
        for (int i = 0; i < 20; i++) {
            store(c, (65530 + i) & 0xFFFF);
        }
        for (int i = 0; i < 20; i++) {
            assertCached(c, (65530 + i) & 0xFFFF);
        }
        assertThat(c.extendedHighestSequenceNumber()).isEqualTo(65536 + 13);
    }

    @Test
    void latePacketFillsItsHoleAndCountsOnce() {
        PacketCache c = new PacketCache(128);
        store(c, 10);
        store(c, 11);
        store(c, 14);
        assertThat(c.isReceived(12)).isFalse();
        assertThat(c.countMissing(5)).isEqualTo(2);
        assertThat(c.intervalExpected()).isEqualTo(5);
        assertThat(c.intervalReceived()).isEqualTo(3);
        assertThat(c.intervalFractionLost()).isEqualTo((2 << 8) / 5);
        store(c, 12);
        store(c, 12); // duplicate
        assertCached(c, 12);
        assertThat(c.isReceived(12)).isTrue();
        assertThat(c.intervalReceived()).isEqualTo(4);
        assertThat(c.cumulativeLost()).isEqualTo(1);
        c.resetInterval();
        assertThat(c.intervalExpected()).isZero();
        assertThat(c.intervalFractionLost()).isZero();
        store(c, 13);
        assertThat(c.cumulativeLost()).isZero();
        assertThat(c.countMissing(5)).isZero();
    }

    @Test
    void aNumberAboveTheHighestIsNotReceivedEvenAfterAWindowOfPackets() {
        PacketCache c = new PacketCache(128);
        for (int s = 0; s < PacketCache.BITMAP_WINDOW + 10; s++) {
            assertThat(c.isReceived(s)).as("%d before it arrives", s).isFalse();
            store(c, s);
            assertThat(c.isReceived(s)).as("%d after", s).isTrue();
        }
        assertThat(c.isReceived(PacketCache.BITMAP_WINDOW + 200)).isFalse();
    }

    @Test
    void packetTooOldForTheRingIsCountedButNotCached() {
        PacketCache c = new PacketCache(24);
        store(c, 100);
        for (int s = 102; s < 200; s++) {
            store(c, s);
        }
        assertThat(c.slotFor(101)).isEqualTo(-1);
        assertThat(store(c, 101)).isEqualTo(-1);
        assertThat(c.get(101, out, 0)).isEqualTo(-1);
        assertThat(c.isReceived(101)).isTrue();
        assertThat(c.cumulativeLost()).isZero();
    }

    @Test
    void MD12_keyframeAmongLastPackets() {
        PacketCache c = new PacketCache(128);
        assertThat(c.lastKeyframe()).isEqualTo(-1);
        assertThat(c.hasKeyframeWithin(40)).isFalse();
        store(c, 500);
        store(c, 501, true);
        for (int s = 502; s < 540; s++) {
            store(c, s);
        }
        assertThat(c.lastKeyframe()).isEqualTo(501);
        assertThat(c.slotKeyframe(c.slotOf(501))).isTrue();
        store(c, 540);
        assertThat(c.hasKeyframeWithin(40)).isTrue(); // 501..540 are the last 40 packets
        store(c, 541);
        assertThat(c.hasKeyframeWithin(40)).isFalse();
        assertThat(c.hasKeyframeWithin(128)).isTrue();
        for (int s = 542; s < 700; s++) {
            store(c, s);
        }
        // overwritten in the ring: still known, no longer usable for replay
        assertThat(c.lastKeyframe()).isEqualTo(501);
        assertThat(c.slotOf(501)).isEqualTo(-1);
        assertThat(c.hasKeyframeWithin(1024)).isFalse();
    }

    @Test
    void olderKeyframeArrivingLateDoesNotReplaceNewerOne() {
        PacketCache c = new PacketCache(128);
        store(c, 1);
        store(c, 3, true);
        store(c, 2, true);
        assertThat(c.lastKeyframe()).isEqualTo(3);
    }

    @Test
    void sequenceJumpIsAcceptedOnlyWhenConfirmed() {
        PacketCache c = new PacketCache(128);
        for (int s = 100; s < 110; s++) {
            store(c, s);
        }
        assertThat(store(c, 40000)).isEqualTo(-1);
        assertThat(store(c, 110)).isGreaterThanOrEqualTo(0); // stray packet, stream goes on
        assertThat(store(c, 40000)).isEqualTo(-1);
        assertThat(store(c, 40001)).isGreaterThanOrEqualTo(0); // confirmed: a restart
        assertCached(c, 40001);
        assertThat(c.get(105, out, 0)).isEqualTo(-1);
        assertThat(c.lastSequenceNumber()).isEqualTo(40001);
        assertThat(c.extendedHighestSequenceNumber()).isEqualTo(65536 + 40001);
        store(c, 40002);
        assertCached(c, 40002);
    }

    @Test
    void oversizedPacketsAreRefused() {
        PacketCache c = new PacketCache(128);
        byte[] big = new byte[PacketCache.SLOT_SIZE + 1];
        assertThat(c.store(1, 0, false, false, big, 0, big.length)).isEqualTo(-1);
        assertThat(c.store(1, 0, false, false, big, 0, PacketCache.SLOT_SIZE)).isGreaterThanOrEqualTo(0);
        assertThat(c.get(1, out, 0)).isEqualTo(PacketCache.SLOT_SIZE);
    }

    @Test
    void zeroCopyPathWritesIntoTheSlotThenCommits() {
        PacketCache c = new PacketCache(128);
        store(c, 7);
        int slot = c.slotFor(8);
        assertThat(slot).isGreaterThanOrEqualTo(0);
        byte[] p = packet(8, 108);
        System.arraycopy(p, 0, c.buffer(), c.slotOffset(slot), p.length);
        assertThat(c.commit(8, 24000, false, false, p.length)).isEqualTo(slot);
        assertCached(c, 8);
        assertThat(c.slotLength(slot)).isEqualTo(108);
    }

    @Test
    void MD13_resizeKeepsNewestPackets() {
        PacketCache c = new PacketCache(128);
        for (int s = 0; s < 128; s++) {
            store(c, s, s == 100);
        }
        c.resize(1024);
        assertThat(c.capacity()).isEqualTo(1024);
        for (int s = 0; s < 128; s++) {
            assertCached(c, s);
        }
        c.resize(24);
        for (int s = 0; s < 104; s++) {
            assertThat(c.get(s, out, 0)).isEqualTo(-1);
        }
        for (int s = 104; s < 128; s++) {
            assertCached(c, s);
        }
        assertThat(c.lastKeyframe()).isEqualTo(100);
        assertThat(c.hasKeyframeWithin(100)).isFalse(); // evicted by the shrink
        store(c, 128);
        assertCached(c, 128);
        assertThatThrownBy(() -> c.resize(2000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacketCache(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void MD13_recommendedCapacityIsClamped() {
        assertThat(PacketCache.recommendedCapacity(true, 100, 0.05, 0.005)).isEqualTo(128);
        assertThat(PacketCache.recommendedCapacity(false, 50, 0.05, 0.005)).isEqualTo(24);
        assertThat(PacketCache.recommendedCapacity(true, 1000, 0.2, 0.01)).isEqualTo(960);
        assertThat(PacketCache.recommendedCapacity(true, 5000, 0.5, 0.05)).isEqualTo(1024);
        assertThat(PacketCache.recommendedCapacity(false, Double.NaN, 0, 0)).isEqualTo(24);
    }

    @Test
    void countMissingIgnoresSequenceNumbersBeforeTheFirstPacket() {
        PacketCache c = new PacketCache(128);
        store(c, 10);
        store(c, 12);
        assertThat(c.countMissing(100)).isEqualTo(1);
        assertThat(c.isReceived(9)).isFalse();
    }
}

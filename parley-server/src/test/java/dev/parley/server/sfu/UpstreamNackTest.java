package dev.parley.server.sfu;

import dev.parley.rtc.rtcp.RtcpHandler;
import dev.parley.rtc.rtcp.RtcpReader;
import dev.parley.server.nack.NackGenerator;
import dev.parley.server.packetcache.PacketCache;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MD13 towards the presenter: a receiver's NACK for a packet the cache lacks goes upstream
 * only after 50 ms and never for packets older than the cached keyframe; the cache follows
 * the packet rate. Recording transports, one thread, real clock for the 50 ms.
 */
class UpstreamNackTest {
    final DownTrackLayerTest.RecordingTransport upTransport = new DownTrackLayerTest.RecordingTransport();
    final UpStream up = SfuFixtures.upStream("u", upTransport);
    final UpTrack track = new UpTrack(up, SfuFixtures.videoSection("0", 0x1234), null, 0x1234);
    final DownTrackLayerTest.RecordingTransport downTransport = new DownTrackLayerTest.RecordingTransport();
    final DownTrack down;

    UpstreamNackTest() {
        DownStream downStream = new DownStream(up);
        downStream.setTransport(downTransport);
        down = new DownTrack(downStream, track, 0x5678, 0);
        track.attach(down, 0);
    }

    void receive(int seq, boolean keyframe, long nowNanos) {
        byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 3000L, seq, 0, keyframe);
        track.receive(p, 0, p.length, nowNanos);
    }

    /** The sequence numbers NACKed upstream so far, one entry per NACK. */
    List<Integer> nackedUpstream() {
        List<Integer> out = new ArrayList<>();
        for (byte[] rtcp : upTransport.rtcp) {
            RtcpReader.read(rtcp, 0, rtcp.length, new RtcpHandler() {
                @Override
                public void onNack(long sender, long media, int pid, int blp) {
                    out.add(pid);
                    for (int i = 0; i < 16; i++) {
                        if ((blp & (1 << i)) != 0) {
                            out.add((pid + i + 1) & 0xFFFF);
                        }
                    }
                }
            });
        }
        return out;
    }

    /** Feeds 1000..1030 but 1010 (which arrives nowhere), until the server's own NACKs for it are spent. */
    int loseOnePacketAndExhaustOwnNacks(int secondKeyframe) {
        long t = System.nanoTime() - 10_000_000_000L;              // in the past: the 50 ms test uses the clock
        for (int seq = 1000; seq <= 1030; seq++, t += 5_000_000L) {
            if (seq != 1010) {
                receive(seq, seq == 1000 || seq == secondKeyframe, t);
            }
        }
        for (int seq = 1031; seq < 1031 + 40; seq++, t += 100_000_000L) {   // 4 s: more than 10 tries
            receive(seq, false, t);
        }
        int own = (int) nackedUpstream().stream().filter(s -> s == 1010).count();
        assertThat(own).as("the server's own NACKs for the gap").isEqualTo(NackGenerator.MAX_TRIES);
        // the down track's number for the lost packet: just before that of 1011
        int afterGap = DownTrackLayerTest.decode(downTransport.rtp.get(10)).seq();     // 1000..1009, then 1011
        return (afterGap - 1) & 0xFFFF;
    }

    @Test
    void MD13_aReceiversNackForAPacketTheCacheLacksGoesUpstreamAfter50ms() throws Exception {
        int lost = loseOnePacketAndExhaustOwnNacks(-1);
        int before = nackedUpstream().size();
        down.nacked(lost);
        receive(1071, false, System.nanoTime());
        assertThat(nackedUpstream()).as("not at once").hasSize(before);
        Thread.sleep(80);
        receive(1072, false, System.nanoTime());
        assertThat(nackedUpstream().subList(before, nackedUpstream().size())).as("after 50 ms").containsExactly(1010);
    }

    @Test
    void MD13_noUpstreamNackForAPacketOlderThanTheCachedKeyframe() throws Exception {
        int lost = loseOnePacketAndExhaustOwnNacks(1020);
        int before = nackedUpstream().size();
        down.nacked(lost);
        Thread.sleep(80);
        receive(1071, false, System.nanoTime());
        receive(1072, false, System.nanoTime());
        assertThat(nackedUpstream()).hasSize(before);
    }

    @Test
    void MD13_theCacheFollowsThePacketRate() {
        long t = 0;
        int seq = 0;
        track.tick(t);
        for (int i = 0; i < 100; i++, seq++, t += 10_000_000L) {     // 100 packets a second
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 900L, seq, 0, seq == 0);
            track.receive(p, 0, p.length, t);
        }
        track.tick(t);
        assertThat(track.cacheCapacity()).as("100 packets/s").isEqualTo(PacketCache.MIN_VIDEO_CAPACITY);
        for (int i = 0; i < 2500; i++, seq++, t += 400_000L) {      // 2500 packets a second
            byte[] p = DownTrackLayerTest.vp8Packet(seq, seq * 900L, seq, 0, false);
            track.receive(p, 0, p.length, t);
        }
        track.tick(t);
        assertThat(track.cacheCapacity()).as("2500 packets/s").isGreaterThan(512);
    }
}

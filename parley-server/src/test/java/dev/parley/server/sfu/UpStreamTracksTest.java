package dev.parley.server.sfu;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The track list is rebuilt on the media loop while signalling threads read it (S3, S15). */
class UpStreamTracksTest {

    @Test
    void S15_aReaderNeverSeesTheTrackListOfALiveStreamEmpty() throws Exception {
        UpStream up = SfuFixtures.upStream("u", new DownTrackLayerTest.RecordingTransport());
        UpSection anySsrc = new UpSection("0", "audio", SfuFixtures.audioSection("0", 1).codec(), 111,
                List.of(), null, List.of(), -1, -1, false, false, false);
        up.setSections(List.of(anySsrc));
        byte[] first = SfuFixtures.packet(111, 1, 0, 1);
        up.onRtp(first, 0, first.length);
        assertThat(up.tracks()).hasSize(1);

        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger emptyReads = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        Thread signalling = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                if (up.tracks().isEmpty()) {                 // what push() reads before sending close
                    emptyReads.incrementAndGet();
                }
                reads.incrementAndGet();
            }
        });
        try {
            // the media loop: every new SSRC re-sorts the list
            for (int ssrc = 2; ssrc < 1000; ssrc++) {
                byte[] p = SfuFixtures.packet(111, 1, 0, ssrc);
                up.onRtp(p, 0, p.length);
            }
        } finally {
            done.set(true);
            signalling.join();
        }
        assertThat(up.tracks()).hasSize(999);
        assertThat(reads.get()).isPositive();
        assertThat(emptyReads.get()).as("reads of an empty list out of %d", reads.get()).isZero();
    }
}

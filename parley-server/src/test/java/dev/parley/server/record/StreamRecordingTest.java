package dev.parley.server.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.parley.server.record.WebmWriter.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole recording pipeline on hand-built RTP: packets → frames → WebM files (MD15, MD16). */
class StreamRecordingTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2024-05-06T07:08:09.010Z"), ZoneOffset.UTC);
    private final List<Long> keyframeRequests = new ArrayList<>();

    static byte[] opus(int seq, long ts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{(byte) 0x80, 111, (byte) (seq >> 8), (byte) seq});
        for (int i = 3; i >= 0; i--) {
            b.write((int) (ts >> (8 * i)));
        }
        b.writeBytes(new byte[]{0, 0, 0, 7, (byte) 0xFC, 1, 2, 3});
        return b.toByteArray();
    }

    /** A one-packet VP8 keyframe of the given size. */
    static byte[] vp8Key(int seq, long ts, int w, int h) {
        byte[] frame = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) w, (byte) (w >> 8), (byte) h, (byte) (h >> 8), 7};
        return Vp8DepacketizerTest.packet(seq, ts, true, true, frame);
    }

    private void feed(StreamRecording r, byte[] p) {
        r.rtp(p, 0, p.length);
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void MD16_aNewFileStartsWhenTheVideoSizeChangesAtAKeyframe() throws Exception {
        StreamRecording r = new StreamRecording(dir, "alice", clock, new StreamRecording.Tracks(111, 96, VideoFormat.VP8));
        r.onKeyframeNeeded(keyframeRequests::add);
        int vseq = 0, aseq = 0;
        feed(r, opus(aseq++, 1000));                                  // before any video: no file yet
        feed(r, vp8Key(vseq++, 5000, 640, 480));
        for (int i = 1; i <= 50; i++) {
            feed(r, Vp8DepacketizerTest.packet(vseq++, 5000 + i * 3000L, true, true, Vp8DepacketizerTest.interStart()));
            feed(r, opus(aseq++, 1000 + i * 960L));
        }
        feed(r, vp8Key(vseq++, 5000 + 51 * 3000L, 320, 240));
        for (int i = 52; i <= 60; i++) {
            feed(r, Vp8DepacketizerTest.packet(vseq++, 5000 + i * 3000L, true, true, Vp8DepacketizerTest.interStart()));
        }
        r.close();
        assertThat(r.awaitClosed(5000)).isTrue();

        List<Path> files = files();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("2024-05-06T07:08:09.010-alice-01.webm", "2024-05-06T07:08:09.010-alice.webm");
        EbmlReader.Element first = EbmlReader.parse(Files.readAllBytes(dir.resolve("2024-05-06T07:08:09.010-alice.webm"))).get(1);
        EbmlReader.Element second = EbmlReader.parse(Files.readAllBytes(dir.resolve("2024-05-06T07:08:09.010-alice-01.webm"))).get(1);
        assertThat(first.one(TRACKS).all(TRACK_ENTRY).get(1).one(VIDEO).one(PIXEL_WIDTH).uint()).isEqualTo(640);
        assertThat(second.one(TRACKS).all(TRACK_ENTRY).get(1).one(VIDEO).one(PIXEL_WIDTH).uint()).isEqualTo(320);

        List<EbmlReader.Block> blocks = new ArrayList<>();
        List<Long> videoTimes = new ArrayList<>();
        for (EbmlReader.Element c : first.all(CLUSTER)) {
            for (EbmlReader.Element b : c.all(SIMPLE_BLOCK)) {
                EbmlReader.Block block = EbmlReader.Block.of(b);
                blocks.add(block);
                if (block.track() == 2) {
                    videoTimes.add(c.one(TIMECODE).uint() + block.relativeTime());
                }
            }
        }
        assertThat(blocks.stream().filter(b -> b.track() == 2).count()).isEqualTo(51);
        assertThat(blocks.stream().filter(b -> b.track() == 1).count()).as("audio after the keyframe only").isEqualTo(50);
        assertThat(blocks.get(0).track()).isEqualTo(2);
        assertThat(blocks.get(0).keyframe()).isTrue();
        assertThat(videoTimes.get(0)).isZero();
        assertThat(videoTimes.get(50)).as("RTP time at 90 kHz").isEqualTo(50 * 3000 / 90);
        long secondVideoBlocks = second.all(CLUSTER).stream().flatMap(c -> c.all(SIMPLE_BLOCK).stream())
                .map(EbmlReader.Block::of).filter(b -> b.track() == 2).count();
        assertThat(secondVideoBlocks).isEqualTo(10);
        assertThat(keyframeRequests).isEmpty();
    }

    @Test
    void videoBeforeItsFirstKeyframeAsksForOneAndWritesNothing() throws Exception {
        StreamRecording r = new StreamRecording(dir, "", clock, new StreamRecording.Tracks(-1, 96, VideoFormat.VP8));
        r.onKeyframeNeeded(keyframeRequests::add);
        feed(r, Vp8DepacketizerTest.packet(1, 0, true, true, Vp8DepacketizerTest.interStart()));
        assertThat(keyframeRequests).containsExactly(0x12345678L);
        r.close();
        assertThat(r.awaitClosed(1000)).isTrue();
        assertThat(files()).isEmpty();
    }
}

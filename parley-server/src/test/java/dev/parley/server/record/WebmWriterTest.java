package dev.parley.server.record;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.parley.server.record.WebmWriter.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The WebM writer's output, parsed back with a strict EBML reader (MD16). */
class WebmWriterTest {
    /** An in-memory sink that applies patches like a file would. */
    static final class MemorySink implements ByteSink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<long[]> patchesOutsideBuffer = new ArrayList<>();
        byte[] patched;
        boolean closed;

        @Override
        public void append(byte[] chunk, int len) {
            if (patched != null) {
                out.reset();
                out.writeBytes(patched);
                patched = null;
            }
            out.write(chunk, 0, len);
        }

        @Override
        public void patch(long position, byte[] bytes) {
            byte[] all = bytes();
            System.arraycopy(bytes, 0, all, (int) position, bytes.length);
            patched = all;
            patchesOutsideBuffer.add(new long[]{position});
        }

        @Override
        public void close() {
            closed = true;
        }

        byte[] bytes() {
            return patched != null ? patched.clone() : out.toByteArray();
        }
    }

    record Written(int track, long time, boolean key, byte[] data) {
    }

    private static List<Written> blocks(EbmlReader.Element segment) {
        List<Written> out = new ArrayList<>();
        for (EbmlReader.Element cluster : segment.all(CLUSTER)) {
            long base = cluster.one(TIMECODE).uint();
            for (EbmlReader.Element b : cluster.all(SIMPLE_BLOCK)) {
                EbmlReader.Block block = EbmlReader.Block.of(b);
                out.add(new Written(block.track(), base + block.relativeTime(), block.keyframe(), block.data()));
            }
        }
        return out;
    }

    private static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    @Test
    void MD16_headerInfoAndTrackEntries() {
        MemorySink sink = new MemorySink();
        WebmWriter w = new WebmWriter(sink, "webm", List.of(WebmTrack.opus(1), WebmTrack.video(2, "V_VP8", 640, 480)));
        w.writeFrame(2, 0, true, payload(100, 1), 0, 100);
        w.writeFrame(1, 1234, true, payload(10, 2), 0, 10);
        w.close();
        assertThat(sink.closed).isTrue();

        List<EbmlReader.Element> top = EbmlReader.parse(sink.bytes());
        assertThat(top).extracting(EbmlReader.Element::id).containsExactly(EBML, SEGMENT);
        EbmlReader.Element header = top.get(0);
        assertThat(header.one(DOC_TYPE).string()).isEqualTo("webm");
        assertThat(header.one(EBML_VERSION).uint()).isEqualTo(1);
        assertThat(header.one(DOC_TYPE_READ_VERSION).uint()).isEqualTo(2);

        EbmlReader.Element segment = top.get(1);
        EbmlReader.Element info = segment.one(INFO);
        assertThat(info.one(TIMECODE_SCALE).uint()).isEqualTo(1_000_000);
        assertThat(info.one(DURATION).float64()).as("duration patched at close").isEqualTo(1234.0);

        List<EbmlReader.Element> entries = segment.one(TRACKS).all(TRACK_ENTRY);
        assertThat(entries).hasSize(2);
        EbmlReader.Element opus = entries.get(0);
        assertThat(opus.one(TRACK_NUMBER).uint()).isEqualTo(1);
        assertThat(opus.one(TRACK_TYPE).uint()).isEqualTo(2);
        assertThat(opus.one(CODEC_ID).string()).isEqualTo("A_OPUS");
        byte[] head = opus.one(CODEC_PRIVATE).bytes();
        assertThat(new String(head, 0, 8)).isEqualTo("OpusHead");
        assertThat(head).hasSize(19);
        assertThat(head[9]).as("channels").isEqualTo((byte) 2);
        assertThat(opus.one(AUDIO).one(SAMPLING_FREQUENCY).float64()).isEqualTo(48000.0);
        assertThat(opus.one(AUDIO).one(CHANNELS).uint()).isEqualTo(2);
        EbmlReader.Element vp8 = entries.get(1);
        assertThat(vp8.one(TRACK_NUMBER).uint()).isEqualTo(2);
        assertThat(vp8.one(TRACK_TYPE).uint()).isEqualTo(1);
        assertThat(vp8.one(CODEC_ID).string()).isEqualTo("V_VP8");
        assertThat(vp8.one(VIDEO).one(PIXEL_WIDTH).uint()).isEqualTo(640);
        assertThat(vp8.one(VIDEO).one(PIXEL_HEIGHT).uint()).isEqualTo(480);
        assertThat(vp8.optional(CODEC_PRIVATE)).isEmpty();
    }

    @Test
    void MD16_blocksKeepTimesTracksKeyflagsAndClustersStartAtVideoKeyframesOrEveryFiveSeconds() {
        MemorySink sink = new MemorySink();
        WebmWriter w = new WebmWriter(sink, "webm", List.of(WebmTrack.opus(1), WebmTrack.video(2, "V_VP8", 320, 240)));
        List<Written> expected = new ArrayList<>();
        int seed = 0;
        for (long t = 0; t < 12_000; t += 20) {
            byte[] a = payload(50, seed++);
            w.writeFrame(1, t, true, a, 0, a.length);
            expected.add(new Written(1, t, true, a));
            if (t % 40 == 0) {
                boolean key = t == 0 || t == 2000;                   // then none for 10 s
                byte[] v = payload(key ? 3000 : 800, seed++);
                w.writeFrame(2, t, key, v, 0, v.length);
                expected.add(new Written(2, t, key, v));
            }
        }
        w.close();

        EbmlReader.Element segment = EbmlReader.parse(sink.bytes()).get(1);
        List<Written> read = blocks(segment);
        assertThat(read).hasSize(expected.size());
        for (int i = 0; i < read.size(); i++) {
            Written r = read.get(i), e = expected.get(i);
            assertThat(r.track()).isEqualTo(e.track());
            assertThat(r.time()).as("block %d time", i).isEqualTo(e.time());
            assertThat(r.key()).as("block %d keyframe", i).isEqualTo(e.key());
            assertThat(r.data()).isEqualTo(e.data());
        }
        List<Long> clusterTimes = segment.all(CLUSTER).stream().map(c -> c.one(TIMECODE).uint()).toList();
        assertThat(clusterTimes).containsExactly(0L, 2000L, 7000L);
        for (EbmlReader.Element c : segment.all(CLUSTER)) {
            Written first = blocks(wrap(c)).get(0);
            assertThat(first.time()).isEqualTo(c.one(TIMECODE).uint());
        }
    }

    /** Wraps a single cluster so that {@link #blocks} can read it. */
    private static EbmlReader.Element wrap(EbmlReader.Element cluster) {
        int start = cluster.dataStart() - 8 - 4;              // 4-byte id, 8-byte size
        return new EbmlReader.Element(SEGMENT, cluster.file(), start, cluster.dataEnd());
    }

    @Test
    void audioOnlyClustersEveryFiveSecondsAndSizesPatchedAcrossFlushes() {
        MemorySink sink = new MemorySink();
        WebmWriter w = new WebmWriter(sink, "webm", List.of(WebmTrack.opus(1)));
        byte[] frame = payload(1000, 7);
        for (long t = 0; t < 20_000; t += 20) {
            w.writeFrame(1, t, true, frame, 0, frame.length);   // 1 MB in all: several flushes
        }
        w.close();
        assertThat(sink.patchesOutsideBuffer).as("the segment size is patched after its bytes left").isNotEmpty();
        List<EbmlReader.Element> top = EbmlReader.parse(sink.bytes());
        EbmlReader.Element segment = top.get(1);
        assertThat(segment.dataEnd()).isEqualTo(sink.bytes().length);
        assertThat(segment.all(CLUSTER).stream().map(c -> c.one(TIMECODE).uint()).toList())
                .containsExactly(0L, 5000L, 10000L, 15000L);
        assertThat(blocks(segment)).hasSize(1000).allMatch(Written::key);
    }

    @Test
    void sizesUseTheShortestVintAndAvoidTheReservedAllOnesValue() {
        EbmlBuffer b = new EbmlBuffer(16);
        b.size(126);
        b.size(127);                  // 0xFF alone would mean "unknown"
        b.size(300);
        assertThat(Arrays.copyOf(b.array(), b.length()))
                .containsExactly(0xFE - 0x100, 0x40, 0x7F, 0x41, 0x2C);
    }
}

package dev.parley.server.record;

import java.util.List;

/**
 * Writes a WebM (Matroska) file: EBML header, one Segment with Info and Tracks, then
 * Clusters of SimpleBlocks. Times are in milliseconds (TimecodeScale 1 ms). A new Cluster
 * starts at each video keyframe, and otherwise every {@link #CLUSTER_MILLIS}. The Segment and
 * Cluster sizes start as "unknown" and are patched as they become known, so that a file cut
 * short is still readable. Not thread-safe; bytes go to a {@link ByteSink} in chunks.
 */
final class WebmWriter {
    static final int EBML = 0x1A45DFA3, EBML_VERSION = 0x4286, EBML_READ_VERSION = 0x42F7,
            EBML_MAX_ID_LENGTH = 0x42F2, EBML_MAX_SIZE_LENGTH = 0x42F3, DOC_TYPE = 0x4282,
            DOC_TYPE_VERSION = 0x4287, DOC_TYPE_READ_VERSION = 0x4285;
    static final int SEGMENT = 0x18538067, INFO = 0x1549A966, TIMECODE_SCALE = 0x2AD7B1,
            MUXING_APP = 0x4D80, WRITING_APP = 0x5741, DURATION = 0x4489;
    static final int TRACKS = 0x1654AE6B, TRACK_ENTRY = 0xAE, TRACK_NUMBER = 0xD7, TRACK_UID = 0x73C5,
            TRACK_TYPE = 0x83, FLAG_LACING = 0x9C, CODEC_ID = 0x86, CODEC_PRIVATE = 0x63A2,
            VIDEO = 0xE0, PIXEL_WIDTH = 0xB0, PIXEL_HEIGHT = 0xBA,
            AUDIO = 0xE1, SAMPLING_FREQUENCY = 0xB5, CHANNELS = 0x9F;
    static final int CLUSTER = 0x1F43B675, TIMECODE = 0xE7, SIMPLE_BLOCK = 0xA3;

    static final long CLUSTER_MILLIS = 5000;
    private static final int FLUSH_BYTES = 256 * 1024;

    private final ByteSink sink;
    private final boolean hasVideo;
    /** The video track's number, or -1: clusters start at its keyframes. */
    private final int videoTrack;
    private final String docType;
    private EbmlBuffer buf = new EbmlBuffer(FLUSH_BYTES + 64 * 1024);
    /** Absolute file position of {@code buf}'s first byte. */
    private long flushed;
    private long segmentSizeAt = -1;
    private long durationAt = -1;
    private long clusterSizeAt = -1;
    private long clusterTime;
    private long lastTime;
    private boolean closed;

    /** {@code docType} is "webm", or "matroska" for codecs WebM does not allow (MD16). */
    WebmWriter(ByteSink sink, String docType, List<WebmTrack> tracks) {
        this.sink = sink;
        this.docType = docType;
        this.videoTrack = tracks.stream().filter(WebmTrack::video).mapToInt(WebmTrack::number).findFirst().orElse(-1);
        this.hasVideo = videoTrack >= 0;
        writeHeader(tracks);
    }

    private void writeHeader(List<WebmTrack> tracks) {
        int ebml = buf.startMaster(EBML);
        buf.uint(EBML_VERSION, 1);
        buf.uint(EBML_READ_VERSION, 1);
        buf.uint(EBML_MAX_ID_LENGTH, 4);
        buf.uint(EBML_MAX_SIZE_LENGTH, 8);
        buf.string(DOC_TYPE, docType);
        buf.uint(DOC_TYPE_VERSION, 4);
        buf.uint(DOC_TYPE_READ_VERSION, 2);
        buf.endMaster(ebml);

        segmentSizeAt = buf.startMaster(SEGMENT);
        int info = buf.startMaster(INFO);
        buf.uint(TIMECODE_SCALE, 1_000_000);
        buf.string(MUXING_APP, "Parley");
        buf.string(WRITING_APP, "Parley");
        buf.id(DURATION);
        buf.size(8);
        durationAt = buf.length();
        buf.float64Value(0);
        buf.endMaster(info);

        int all = buf.startMaster(TRACKS);
        for (WebmTrack t : tracks) {
            int entry = buf.startMaster(TRACK_ENTRY);
            buf.uint(TRACK_NUMBER, t.number());
            buf.uint(TRACK_UID, t.number());
            buf.uint(TRACK_TYPE, t.video() ? 1 : 2);
            buf.uint(FLAG_LACING, 0);
            buf.string(CODEC_ID, t.codecId());
            if (t.codecPrivate() != null) {
                buf.binary(CODEC_PRIVATE, t.codecPrivate());
            }
            if (t.video()) {
                int v = buf.startMaster(VIDEO);
                buf.uint(PIXEL_WIDTH, t.width());
                buf.uint(PIXEL_HEIGHT, t.height());
                buf.endMaster(v);
            } else {
                int a = buf.startMaster(AUDIO);
                buf.float64(SAMPLING_FREQUENCY, t.samplingRate());
                buf.uint(CHANNELS, t.channels());
                buf.endMaster(a);
            }
            buf.endMaster(entry);
        }
        buf.endMaster(all);
    }

    /**
     * Appends one frame of track {@code track} at {@code timeMillis} since the file's start.
     * Times may go slightly backwards between tracks; a block is never placed more than
     * 32 s away from its cluster's time.
     */
    void writeFrame(int track, long timeMillis, boolean keyframe, byte[] data, int off, int len) {
        if (closed) {
            return;
        }
        boolean videoKey = keyframe && hasVideo && isVideo(track);
        long relative = timeMillis - clusterTime;
        if (clusterSizeAt < 0 || videoKey && relative != 0
                || !hasVideo && relative >= CLUSTER_MILLIS
                || relative > Short.MAX_VALUE || relative < Short.MIN_VALUE
                || hasVideo && relative >= CLUSTER_MILLIS && isVideo(track)) {
            startCluster(Math.max(0, timeMillis));
            relative = timeMillis - clusterTime;
        }
        buf.id(SIMPLE_BLOCK);
        buf.size(len + 4L);
        buf.put(0x80 | track);                     // track numbers < 127: a one-byte vint
        buf.put((int) (relative >> 8));
        buf.put((int) relative);
        buf.put(keyframe ? 0x80 : 0);
        buf.put(data, off, len);
        lastTime = Math.max(lastTime, timeMillis);
        if (buf.length() >= FLUSH_BYTES) {
            flush();
        }
    }

    private boolean isVideo(int track) {
        return track == videoTrack;
    }

    private void startCluster(long time) {
        endCluster();
        clusterTime = time;
        clusterSizeAt = flushed + buf.startMaster(CLUSTER);
        buf.uint(TIMECODE, time);
    }

    private void endCluster() {
        if (clusterSizeAt < 0) {
            return;
        }
        patchSize(clusterSizeAt, flushed + buf.length() - clusterSizeAt - 8);
        clusterSizeAt = -1;
        flush();
    }

    /** Patches an 8-byte size in the buffer if it is still there, else in the sink. */
    private void patchSize(long at, long size) {
        if (at >= flushed) {
            EbmlBuffer.putSize8(buf.array(), (int) (at - flushed), size);
        } else {
            byte[] b = new byte[8];
            EbmlBuffer.putSize8(b, 0, size);
            sink.patch(at, b);
        }
    }

    private void flush() {
        if (buf.length() == 0) {
            return;
        }
        // the sink owns the chunk: hand the array over and continue in a fresh one
        EbmlBuffer full = buf;
        sink.append(full.array(), full.length());
        flushed += full.length();
        buf = new EbmlBuffer(FLUSH_BYTES + 64 * 1024);
    }

    /** Ends the last cluster, fixes the Segment size and the Duration, and closes the sink. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        endCluster();
        long end = flushed + buf.length();
        patchSize(segmentSizeAt, end - segmentSizeAt - 8);
        byte[] d = new byte[8];
        long bits = Double.doubleToLongBits(lastTime);
        for (int i = 0; i < 8; i++) {
            d[i] = (byte) (bits >>> (8 * (7 - i)));
        }
        if (durationAt < flushed) {
            sink.patch(durationAt, d);
        } else {
            System.arraycopy(d, 0, buf.array(), (int) (durationAt - flushed), 8);
        }
        flush();
        sink.close();
    }
}

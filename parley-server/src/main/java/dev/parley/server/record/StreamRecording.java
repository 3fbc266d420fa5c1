package dev.parley.server.record;

import dev.parley.rtc.rtp.RtpPacket;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The recording of one up stream (MD15, MD16): its chosen audio and video tracks, rebuilt into
 * frames and written to a WebM file (Matroska for H.264). The file is created at the first video keyframe (its size
 * is needed for the track header), or for audio alone once the track set has settled; a new
 * file starts when the video size changes at a keyframe.
 *
 * <p>Packets arrive on the media loop; {@link #close} may come from any thread, so the two
 * share this object's monitor (uncontended in practice).
 */
final class StreamRecording {
    /** Audio-only files wait this long, in case a video track joins the selection. */
    private static final long AUDIO_ONLY_GRACE_NANOS = 1_000_000_000L;

    /** The recorded codecs of one stream: payload types as forwarded (CodecTable) and names. */
    record Tracks(int audioPayloadType, int videoPayloadType, VideoFormat videoFormat) {
        boolean hasAudio() {
            return audioPayloadType >= 0;
        }

        boolean hasVideo() {
            return videoPayloadType >= 0;
        }
    }

    /** Where the files are created: the group's recordings directory, or a test's stand-in disk. */
    interface FileCreator {
        AsyncFileOutput.Opened create(String baseName, String extension) throws IOException;
    }

    private final FileCreator files;
    private final long maxPendingBytes;
    private final String username;
    private final Clock clock;
    private final Tracks tracks;
    private final long createdNanos = System.nanoTime();
    private final RtpPacket view = new RtpPacket();
    private final TrackState audio;
    private final TrackState video;
    private LongConsumer keyframeRequest = ssrc -> { };
    private Runnable diskTooSlow = () -> { };
    /** Set by the output (inside a write) when its queue overflowed; acted on once the write is done. */
    private boolean overflowed;

    private WebmWriter writer;
    private final List<AsyncFileOutput> outputs = new ArrayList<>();
    /** The video's latest frame: its time in the file and when it arrived (the audio's reference). */
    private long videoTimeMillis;
    private long videoArrivalNanos;
    private int width, height;
    private boolean closed;

    StreamRecording(Path dir, String username, Clock clock, Tracks tracks) {
        this((base, extension) -> RecordingFiles.create(dir, base, extension), AsyncFileOutput.DEFAULT_MAX_PENDING_BYTES,
                username, clock, tracks);
    }

    StreamRecording(FileCreator files, long maxPendingBytes, String username, Clock clock, Tracks tracks) {
        this.files = files;
        this.maxPendingBytes = maxPendingBytes;
        this.username = username;
        this.clock = clock;
        this.tracks = tracks;
        this.audio = tracks.hasAudio() ? new TrackState(1, 48000, new OpusDepacketizer(), false) : null;
        this.video = tracks.hasVideo()
                ? new TrackState(tracks.hasAudio() ? 2 : 1, 90000, tracks.videoFormat().depacketizer(), true)
                : null;
    }

    Tracks tracks() {
        return tracks;
    }

    /** Where PLIs go: called with the SSRC of the video packets when a keyframe is needed. */
    void onKeyframeNeeded(LongConsumer request) {
        keyframeRequest = request;
    }

    /**
     * Called once, on the media loop, when the disk could not keep up and this recording
     * stopped itself; must not block.
     */
    void onDiskTooSlow(Runnable stopped) {
        diskTooSlow = stopped;
    }

    /** One forwarded RTP packet (media loop). */
    synchronized void rtp(byte[] buf, int off, int len) {
        if (closed || !view.wrap(buf, off, len)) {
            return;
        }
        int pt = view.payloadType();
        TrackState t = pt == tracks.audioPayloadType() ? audio : pt == tracks.videoPayloadType() ? video : null;
        if (t != null) {
            t.ssrc = view.ssrc();
            t.depacketizer.push(view, t);
        }
        if (overflowed) {
            close();                                // the file keeps what was queued before
            diskTooSlow.run();
        }
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }

    /** Bytes of every file of this recording queued for the disk and not yet written. */
    synchronized long pendingBytes() {
        return outputs.stream().mapToLong(AsyncFileOutput::pendingBytes).sum();
    }

    /** Waits until every file of this recording is written and closed. */
    boolean awaitClosed(long millis) throws InterruptedException {
        List<AsyncFileOutput> all;
        synchronized (this) {
            all = List.copyOf(outputs);
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (AsyncFileOutput o : all) {
            if (!o.awaitClosed(Math.max(0, (deadline - System.nanoTime()) / 1_000_000))) {
                return false;
            }
        }
        return true;
    }

    private void open(int w, int h, byte[] codecPrivate) {
        if (writer != null) {
            writer.close();
        }
        width = w;
        height = h;
        String base = RecordingFiles.baseName(LocalDateTime.now(clock), username);
        VideoFormat format = video != null ? tracks.videoFormat() : VideoFormat.VP8;   // audio alone: WebM
        AsyncFileOutput previous = outputs.isEmpty() ? null : outputs.getLast();
        AsyncFileOutput output = new AsyncFileOutput(() -> {
            if (previous != null) {
                previous.awaitOpened();             // each output has its own thread: keep the names in order
            }
            return files.create(base, format.extension);
        }, maxPendingBytes, () -> overflowed = true);
        outputs.add(output);
        List<WebmTrack> list = new ArrayList<>();
        if (audio != null) {
            list.add(WebmTrack.opus(audio.number));
        }
        if (video != null) {
            list.add(WebmTrack.video(video.number, format.codecId, codecPrivate, w, h));
        }
        writer = new WebmWriter(output, format.docType, list);
        if (audio != null) {
            audio.started = false;
        }
        if (video != null) {
            video.started = false;
        }
    }

    /** One recorded track: its depacketizer and its clock, mapped to the file's timeline. */
    private final class TrackState implements FrameSink {
        final int number;
        final int clockRate;
        final Depacketizer depacketizer;
        final boolean isVideo;
        long ssrc;
        boolean started;
        long lastTimestamp;
        long elapsedTicks;
        long offsetMillis;

        TrackState(int number, int clockRate, Depacketizer depacketizer, boolean isVideo) {
            this.number = number;
            this.clockRate = clockRate;
            this.depacketizer = depacketizer;
            this.isVideo = isVideo;
        }

        @Override
        public void frame(byte[] buf, int off, int len, long rtpTimestamp, boolean keyframe) {
            if (isVideo && keyframe) {
                VideoFormat format = tracks.videoFormat();
                int[] size = format.pictureSize(depacketizer, buf, off, len);
                if (size == null && writer == null) {
                    size = new int[]{640, 480};      // undecodable header: players use the bitstream's
                }
                if (size != null && (writer == null || size[0] != width || size[1] != height)) {
                    byte[] codecPrivate = format.codecPrivate(depacketizer);
                    if (format == VideoFormat.H264 && codecPrivate == null) {
                        keyframeRequest.accept(ssrc);    // an IDR without its parameter sets
                        return;
                    }
                    open(size[0], size[1], codecPrivate);   // MD16: a new file when the size changes
                }
            } else if (writer == null) {
                if (isVideo) {
                    keyframeRequest.accept(ssrc);
                    return;
                }
                if (video != null || System.nanoTime() - createdNanos < AUDIO_ONLY_GRACE_NANOS) {
                    return;                          // audio waits for the file the video opens
                }
                open(0, 0, null);
            }
            if (!started) {
                started = true;
                lastTimestamp = rtpTimestamp;
                elapsedTicks = 0;
                // The file's time is the video's RTP time from its first keyframe. Audio starts
                // where the video is now, judged from the video's latest frame: the first
                // keyframe may be a replay from the SFU's cache and arrive late.
                offsetMillis = isVideo || video == null ? 0
                        : videoTimeMillis + (System.nanoTime() - videoArrivalNanos) / 1_000_000;
            } else {
                elapsedTicks += (int) (rtpTimestamp - lastTimestamp);   // signed: wraps and reordering
                lastTimestamp = rtpTimestamp;
            }
            long time = Math.max(0, offsetMillis + elapsedTicks * 1000 / clockRate);
            if (isVideo) {
                videoTimeMillis = time;
                videoArrivalNanos = System.nanoTime();
            }
            writer.writeFrame(number, time, keyframe, buf, off, len);
        }

        @Override
        public void frameLost() {
            keyframeRequest.accept(ssrc);
        }
    }
}

package dev.parley.server.record;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Message;
import dev.parley.server.group.Group;
import dev.parley.server.group.Member;
import dev.parley.server.sfu.DownStream;
import dev.parley.server.sfu.StreamReceiver;
import dev.parley.server.sfu.UpStream;
import dev.parley.server.sfu.UpTrack;
import dev.parley.server.util.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The recorder (GA4, U3): a group member named {@code RECORDING} with permission
 * {@code system} that receives every up stream of the group and writes each one to a file
 * (MD15, MD16). It stops on {@code unrecord} (GA5), on kick, and on server shutdown (which
 * kicks every member); each stream's file is closed when the stream closes.
 */
public final class Recorder implements Member, StreamReceiver {
    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    public static final String USERNAME = "RECORDING";
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final String id = Ids.hexId();
    private final List<String> permissions = new ArrayList<>(List.of("system"));
    private final Group group;
    private final Path dir;
    private final Clock clock;
    // guarded by this
    private final Map<String, Active> recordings = new HashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private boolean stopped;
    private final AtomicBoolean stoppingForDisk = new AtomicBoolean();

    /** One recorded up stream: the SFU's copy of it and the file it goes to. */
    private record Active(DownStream down, StreamRecording recording) {
    }

    private Recorder(Group group, Path dir, Clock clock) {
        this.group = group;
        this.dir = dir;
        this.clock = clock;
    }

    /**
     * GA4: adds a recorder to {@code group}, recording under {@code recordingsRoot}.
     *
     * @return the new recorder, or null when the group already has one ("already recording")
     * @throws IOException when the group's recordings directory cannot be created
     */
    public static Recorder start(Group group, Path recordingsRoot, Clock clock) throws IOException {
        Path dir = RecordingFiles.groupDirectory(recordingsRoot, group.name());
        synchronized (group) {
            if (group.members().stream().anyMatch(m -> m instanceof Recorder)) {
                return null;
            }
            Recorder r = new Recorder(group, dir, clock);
            group.admit(r);
            return r;
        }
    }

    /** GA5: stops and removes every recorder of {@code group}; others get {@code user delete}. */
    public static void stopAll(Group group) {
        for (Member m : group.members()) {
            if (m instanceof Recorder r) {
                r.stopAndLeave();
            }
        }
    }

    // ---- Member ------------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public String username() {
        return USERNAME;
    }

    @Override
    public List<String> permissions() {
        return permissions;
    }

    @Override
    public ObjectNode data() {
        return null;
    }

    @Override
    public boolean isWebSocket() {
        return false;
    }

    @Override
    public void send(Message m) {
        // the recorder reads nothing
    }

    @Override
    public void kick(String kickerId, String kickerUsername, String message) {
        stopAndLeave();
    }

    @Override
    public String address() {
        return null;
    }

    private void stopAndLeave() {
        stop();
        group.leave(this);
    }

    /** Closes every file (waiting briefly until they are on disk); later pushes are ignored. */
    public void stop() {
        List<Active> all;
        synchronized (this) {
            stopped = true;
            all = List.copyOf(recordings.values());
            recordings.clear();
        }
        for (Active a : all) {
            end(a);
        }
        long deadline = System.nanoTime() + CLOSE_WAIT_MILLIS * 1_000_000;
        try {
            for (Active a : all) {
                if (!a.recording().awaitClosed(Math.max(0, (deadline - System.nanoTime()) / 1_000_000))) {
                    log.warn("a recording of group {} was not closed in time", group.name());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void end(Active a) {
        a.down().close();
        a.recording().close();
    }

    // ---- StreamReceiver ----------------------------------------------------------------------

    @Override
    public void push(UpStream up) {
        // chosen before taking our monitor: warnings read the group, whose monitor comes first
        StreamRecording.Tracks wanted = up.isClosed() ? null : choose(up);
        record(up, wanted);
    }

    private synchronized void record(UpStream up, StreamRecording.Tracks wanted) {
        if (stopped) {
            return;
        }
        Active current = recordings.get(up.id());
        if (current != null && wanted != null && current.recording().tracks().equals(wanted)) {
            return;
        }
        if (current != null) {
            recordings.remove(up.id());
            end(current);
        }
        if (wanted == null) {
            return;
        }
        StreamRecording recording = new StreamRecording(dir, up.owner().username(), clock, wanted);
        recording.onDiskTooSlow(this::diskTooSlow);
        DownStream down = new DownStream(up);
        new RecordingTransport(up.transport(), recording).attachTo(down);
        recordings.put(up.id(), new Active(down, recording));
        down.startDirect(selected(up, wanted));
    }

    @Override
    public synchronized void upClosed(String streamId) {
        Active a = recordings.remove(streamId);
        if (a != null) {
            end(a);
        }
    }

    /** MD16: the first audio track if Opus, and one video track (not {@code l} if possible) if VP8, VP9 or H.264. */
    private StreamRecording.Tracks choose(UpStream up) {
        UpTrack audio = firstAudio(up);
        UpTrack video = chosenVideo(up);
        int audioPt = -1, videoPt = -1;
        VideoFormat videoFormat = null;
        if (audio != null) {
            if (audio.section().codec().name().equals("opus")) {
                audioPt = audio.section().codec().payloadType();
            } else {
                warnOps(up, unsupported(audio.section().codec().encoding()));
            }
        }
        if (video != null) {
            String codec = video.section().codec().encoding();
            videoFormat = VideoFormat.of(codec);
            if (videoFormat != null) {
                videoPt = video.section().codec().payloadType();
            } else {
                warnOps(up, unsupported(codec));
            }
        }
        long audioTracks = up.tracks().stream().filter(t -> t.kind().equals("audio")).count();
        long videoSections = up.tracks().stream().filter(t -> t.kind().equals("video")).map(UpTrack::section).distinct().count();
        if (audioTracks > 1 || videoSections > 1) {
            warnOps(up, "Recording: only the first audio and video tracks of a stream are recorded");
        }
        return audioPt < 0 && videoPt < 0 ? null : new StreamRecording.Tracks(audioPt, videoPt, videoFormat);
    }

    private static UpTrack firstAudio(UpStream up) {
        return up.tracks().stream().filter(t -> t.kind().equals("audio")).findFirst().orElse(null);
    }

    private static UpTrack chosenVideo(UpStream up) {
        List<UpTrack> videos = up.tracks().stream().filter(t -> t.kind().equals("video")).toList();
        return videos.stream().filter(t -> !"l".equals(t.rid())).findFirst()
                .orElse(videos.isEmpty() ? null : videos.get(0));
    }

    /**
     * A stream's file could not be written fast enough (its queue reached its bound): the
     * disk is shared, so the whole recording stops rather than fill the heap, and the
     * operators are told. Called on the media loop: the stop, which waits for files, runs apart.
     */
    private void diskTooSlow() {
        if (!stoppingForDisk.compareAndSet(false, true)) {
            return;
        }
        log.warn("recording of group {} stopped: the disk of the recordings directory cannot keep up", group.name());
        Thread.ofVirtual().name("recording-stop").start(() -> {
            tellOps("Recording stopped: the server's disk cannot keep up with the recording."
                    + " What was recorded so far is kept.");
            stopAndLeave();
        });
    }

    private static List<UpTrack> selected(UpStream up, StreamRecording.Tracks tracks) {
        List<UpTrack> out = new ArrayList<>();
        if (tracks.hasAudio()) {
            out.add(firstAudio(up));
        }
        if (tracks.hasVideo()) {
            out.add(chosenVideo(up));
        }
        return out;
    }

    private static String unsupported(String codec) {
        return "Recording: codec " + codec + " is not supported, its track is not recorded";
    }

    /** MD16, M3: what is not recorded is reported to the operators, once per stream and text. */
    private void warnOps(UpStream up, String text) {
        if (warned.add(up.id() + "/" + text)) {
            tellOps(text);
        }
    }

    private void tellOps(String text) {
        for (Member m : group.members()) {
            if (m.isWebSocket() && m.hasPermission("op")) {
                m.send(Message.of("usermessage").kind("warning").dest(m.id()).privileged(true).value(text).build());
            }
        }
    }
}

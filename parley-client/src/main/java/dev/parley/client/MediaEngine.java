package dev.parley.client;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.media.audio.AudioOptions;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import dev.onvoid.webrtc.media.video.VideoTrack;
import dev.onvoid.webrtc.media.video.VideoTrackSource;

/**
 * Owns libwebrtc's peer-connection factory and the headless audio device behind it.
 *
 * <p>The audio device must be playing and recording before the factory is built: playout is
 * what pulls received audio through the decoders (so audio sinks see samples) and recording
 * is what drives custom audio sources. No sound card is touched. One engine serves any
 * number of connections; {@link #shared()} is created on first use and lives as long as the JVM.
 */
public final class MediaEngine implements AutoCloseable {
    private static MediaEngine shared;

    private final HeadlessAudioDeviceModule audioDevice;
    private final PeerConnectionFactory factory;
    private boolean closed;

    /**
     * Builds a factory with its own headless audio device, loading libwebrtc if needed. Each
     * engine starts native threads: {@link #close()} it when done.
     */
    public MediaEngine() {
        audioDevice = new HeadlessAudioDeviceModule();
        audioDevice.initPlayout();
        audioDevice.startPlayout();
        audioDevice.initRecording();
        audioDevice.startRecording();
        factory = new PeerConnectionFactory(audioDevice);
    }

    /**
     * Loads libwebrtc's native library. Constructing a source (e.g. {@code CustomVideoSource})
     * before any factory exists needs this; the library itself is loaded by the factory class.
     */
    public static void loadNativeLibrary() {
        try {
            Class.forName(PeerConnectionFactory.class.getName(), true, MediaEngine.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("webrtc-java is not on the class path", e);
        }
    }

    /**
     * The engine used by connections created without one, built on first use.
     *
     * @return the shared engine; a new one after the previous was closed
     */
    public static synchronized MediaEngine shared() {
        if (shared == null) {
            shared = new MediaEngine();
        }
        return shared;
    }

    /**
     * libwebrtc's factory, for sources and tracks the engine does not wrap.
     *
     * @return the factory; unusable after {@link #close()}
     */
    public PeerConnectionFactory factory() {
        return factory;
    }

    /**
     * Creates a peer connection. The library does this for streams and file transfers;
     * applications need it only for peer connections of their own.
     *
     * @param configuration the ICE configuration, or null for libwebrtc's defaults
     * @param observer      receives the connection's events, on libwebrtc's threads
     * @return the new peer connection
     * @throws IllegalStateException when libwebrtc refuses (e.g. an invalid ICE server URL)
     */
    public RTCPeerConnection createPeerConnection(RTCConfiguration configuration, PeerConnectionObserver observer) {
        RTCPeerConnection pc = factory.createPeerConnection(
                configuration == null ? new RTCConfiguration() : configuration, observer);
        if (pc == null) {
            throw new IllegalStateException("Couldn't create peer connection");
        }
        return pc;
    }

    /**
     * Creates a video track to send with {@link Stream#addTrack}.
     *
     * @param id     the track's id, unique among our tracks
     * @param source where frames come from, e.g. a
     *               {@link dev.parley.client.media.SyntheticVideoSource}
     * @return the track; dispose it after the streams that carry it are closed
     */
    public VideoTrack createVideoTrack(String id, VideoTrackSource source) {
        return factory.createVideoTrack(id, source);
    }

    /**
     * Creates an audio track to send with {@link Stream#addTrack}.
     *
     * @param id     the track's id, unique among our tracks
     * @param source where samples come from, e.g. a
     *               {@link dev.parley.client.media.SyntheticAudioSource} or {@link #createAudioSource()}
     * @return the track; dispose it after the streams that carry it are closed
     */
    public AudioTrack createAudioTrack(String id, AudioTrackSource source) {
        return factory.createAudioTrack(id, source);
    }

    /**
     * An audio source fed by the headless recording device, which records silence: for
     * programs that need an audio track but have nothing to say.
     *
     * @return a new source
     */
    public AudioTrackSource createAudioSource() {
        return factory.createAudioSource(new AudioOptions());
    }

    /**
     * Disposes the factory and the audio device, ending libwebrtc's native threads (one of them
     * is attached to the JVM as a non-daemon thread, so a program that used media cannot exit
     * before this). Close every connection and dispose every track first. Closing the shared
     * engine is allowed: the next {@link #shared()} creates a new one.
     */
    @Override
    public void close() {
        synchronized (MediaEngine.class) {
            if (shared == this) {
                shared = null;
            }
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        factory.dispose();
        audioDevice.stopPlayout();
        audioDevice.stopRecording();
        audioDevice.dispose();
    }
}

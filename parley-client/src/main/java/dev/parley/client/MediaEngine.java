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

    public static synchronized MediaEngine shared() {
        if (shared == null) {
            shared = new MediaEngine();
        }
        return shared;
    }

    public PeerConnectionFactory factory() {
        return factory;
    }

    public RTCPeerConnection createPeerConnection(RTCConfiguration configuration, PeerConnectionObserver observer) {
        RTCPeerConnection pc = factory.createPeerConnection(
                configuration == null ? new RTCConfiguration() : configuration, observer);
        if (pc == null) {
            throw new IllegalStateException("Couldn't create peer connection");
        }
        return pc;
    }

    public VideoTrack createVideoTrack(String id, VideoTrackSource source) {
        return factory.createVideoTrack(id, source);
    }

    public AudioTrack createAudioTrack(String id, AudioTrackSource source) {
        return factory.createAudioTrack(id, source);
    }

    /** An audio source fed by the (silent) headless recording device, for tests that need any audio. */
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

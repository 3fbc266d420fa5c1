package dev.parley.client.media;

import dev.parley.client.MediaEngine;

import dev.onvoid.webrtc.media.audio.CustomAudioSource;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An audio source that needs no microphone: a sine tone pushed as 10 ms blocks of 16-bit mono
 * 48 kHz PCM into a webrtc-java {@link CustomAudioSource}. Use {@link #source()} with
 * {@code MediaEngine.createAudioTrack}.
 */
public final class SyntheticAudioSource implements AutoCloseable {
    private static final int RATE = 48_000;
    private static final int FRAMES = RATE / 100;

    private final CustomAudioSource source;
    private final byte[] block = new byte[FRAMES * 2];
    private final double step;
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> task;
    private double phase;
    private volatile boolean closed;

    /**
     * Starts pushing the tone at once, from a daemon thread, until {@link #close()}.
     *
     * @param frequencyHz the tone's frequency, e.g. 440
     */
    public SyntheticAudioSource(double frequencyHz) {
        step = 2 * Math.PI * frequencyHz / RATE;
        MediaEngine.loadNativeLibrary();
        source = new CustomAudioSource();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "synthetic-audio");
            t.setDaemon(true);
            return t;
        });
        task = timer.scheduleAtFixedRate(this::push, 0, 10, TimeUnit.MILLISECONDS);
    }

    /**
     * The source to build a track from.
     *
     * @return the webrtc-java source the tone is pushed into
     */
    public CustomAudioSource source() {
        return source;
    }

    private void push() {
        if (closed) {
            return;
        }
        for (int i = 0; i < FRAMES; i++) {
            short s = (short) (Math.sin(phase) * 8000);
            phase += step;
            block[2 * i] = (byte) s;
            block[2 * i + 1] = (byte) (s >> 8);
        }
        phase %= 2 * Math.PI;
        // the block is copied by libwebrtc before pushAudio returns, so it is reused
        source.pushAudio(block, 16, RATE, 1, FRAMES);
    }

    @Override
    public void close() {
        closed = true;
        task.cancel(false);
        timer.shutdown();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.dispose();
    }
}

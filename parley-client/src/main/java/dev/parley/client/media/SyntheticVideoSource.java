package dev.parley.client.media;

import dev.parley.client.MediaEngine;

import dev.onvoid.webrtc.media.video.CustomVideoSource;
import dev.onvoid.webrtc.media.video.NativeI420Buffer;
import dev.onvoid.webrtc.media.video.VideoFrame;

import java.nio.ByteBuffer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A video source that needs no camera: it pushes generated I420 frames (a grey gradient with a
 * bright bar that moves one step per frame) into a webrtc-java {@link CustomVideoSource} at a
 * fixed rate. Use {@link #source()} with {@code MediaEngine.createVideoTrack}.
 */
public final class SyntheticVideoSource implements AutoCloseable {
    private final CustomVideoSource source;
    private final int width;
    private final int height;
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> task;
    private final AtomicLong frames = new AtomicLong();
    private volatile boolean closed;

    /**
     * Starts pushing frames at once, from a daemon thread, until {@link #close()}.
     *
     * @param width  frame width in pixels, positive and even
     * @param height frame height in pixels, positive and even
     * @param fps    frames per second, positive
     * @throws IllegalArgumentException for an odd or non-positive size, or a non-positive rate
     */
    public SyntheticVideoSource(int width, int height, int fps) {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0 || fps <= 0) {
            throw new IllegalArgumentException("width and height must be positive and even, fps positive");
        }
        MediaEngine.loadNativeLibrary();
        source = new CustomVideoSource();
        this.width = width;
        this.height = height;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "synthetic-video");
            t.setDaemon(true);
            return t;
        });
        task = timer.scheduleAtFixedRate(this::pushFrame, 0, 1_000_000 / fps, TimeUnit.MICROSECONDS);
    }

    /**
     * The source to build a track from.
     *
     * @return the webrtc-java source the frames are pushed into
     */
    public CustomVideoSource source() {
        return source;
    }

    /**
     * How many frames were pushed so far, to compare with what a receiver decoded.
     *
     * @return the count
     */
    public long framesPushed() {
        return frames.get();
    }

    private void pushFrame() {
        if (closed) {
            return;
        }
        long n = frames.get();
        // libwebrtc may still encode the previous frame, so each frame gets its own buffer
        NativeI420Buffer buffer = NativeI420Buffer.allocate(width, height);
        try {
            fillY(buffer.getDataY(), buffer.getStrideY(), n);
            fill(buffer.getDataU(), buffer.getStrideU(), (height + 1) / 2, (byte) 128);
            fill(buffer.getDataV(), buffer.getStrideV(), (height + 1) / 2, (byte) 128);
            VideoFrame frame = new VideoFrame(buffer, System.nanoTime());
            source.pushFrame(frame);
            frame.release();
            frames.incrementAndGet();
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
    }

    private void fillY(ByteBuffer y, int stride, long n) {
        int bar = (int) ((n * 4) % width);
        for (int row = 0; row < height; row++) {
            int base = row * stride;
            for (int col = 0; col < width; col++) {
                int v = Math.abs(col - bar) < 8 ? 235 : 16 + (row * 200 / height);
                y.put(base + col, (byte) v);
            }
        }
    }

    private static void fill(ByteBuffer b, int stride, int rows, byte v) {
        for (int i = 0; i < stride * rows && i < b.capacity(); i++) {
            b.put(i, v);
        }
    }

    /** Stops the generator and disposes the source; remove its track from every stream first. */
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

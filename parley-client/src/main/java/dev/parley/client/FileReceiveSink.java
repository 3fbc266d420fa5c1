package dev.parley.client;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The receiving side of a {@link TransferredFile}: writes each message of the {@code file}
 * channel to disk as it arrives, refuses more bytes than the announced size, and when the
 * last byte is written, syncs the file, reports "done" and confirms with {@code done} to the
 * sender.
 */
final class FileReceiveSink implements RTCDataChannelObserver {
    private static final System.Logger LOG = System.getLogger(FileReceiveSink.class.getName());
    /** How long the channel stays up after our {@code done}, so that the sender can read it. */
    private static final long LINGER_MS = 2000;

    private final TransferredFile f;
    private volatile FileChannel out;
    /** Set when no more data may be written: complete, failed or closed. */
    private volatile boolean finished;

    FileReceiveSink(TransferredFile f, FileChannel out) {
        this.f = f;
        this.out = out;
    }

    @Override
    public void onBufferedAmountChange(long previousAmount) {
    }

    @Override
    public void onStateChange() {
        RTCDataChannel channel = f.dc();
        if (channel == null) {
            return;
        }
        RTCDataChannelState s = channel.getState();
        if (s == RTCDataChannelState.OPEN && f.size() == 0 && !finished) {
            // an empty file has no chunk to trigger completion
            finished = true;
            f.sc().loop().execute(this::complete);
        } else if (s == RTCDataChannelState.CLOSED) {
            f.sc().loop().execute(() -> {
                if (!f.isOver()) {
                    f.cancel("remote peer closed connection");
                }
            });
        }
    }

    /** Runs on libwebrtc's network thread, one message at a time: the write order is the arrival order. */
    @Override
    public void onMessage(RTCDataChannelBuffer buffer) {
        FileChannel o = out;
        if (o == null || finished) {
            return;
        }
        int n = buffer.data.remaining();
        long total = f.datalen() + n;
        try {
            if (total > f.size()) {
                finished = true;
                f.sc().loop().execute(() -> f.cancel("extra data at end of file"));
                return;
            }
            while (buffer.data.hasRemaining()) {
                o.write(buffer.data);
            }
        } catch (IOException e) {
            finished = true;
            f.sc().loop().execute(() -> f.cancel(e.getMessage()));
            return;
        }
        if (total < f.size()) {
            f.moved(n);
            return;
        }
        finished = true;
        f.addData(n);
        f.sc().loop().execute(this::complete);
    }

    /** Event thread: the last byte is written. */
    private void complete() {
        if (f.isOver()) {
            return;
        }
        FileChannel o = out;
        out = null;
        try {
            if (o != null) {
                o.force(true);
                o.close();
            }
        } catch (IOException e) {
            f.cancel(e.getMessage());
            return;
        }
        f.event("done", f.file());
        RTCDataChannel channel = f.dc();
        try {
            if (channel != null) {
                channel.send(new RTCDataChannelBuffer(
                        ByteBuffer.wrap("done".getBytes(StandardCharsets.UTF_8)), false));
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "final handshake not sent", e);
        }
        f.sc().loop().after(LINGER_MS, f::close);
    }

    /** Stops writing and closes the file, complete or not. */
    void close() {
        finished = true;
        FileChannel o = out;
        out = null;
        closeQuietly(o);
    }

    static void closeQuietly(FileChannel c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close", e);
        }
    }
}

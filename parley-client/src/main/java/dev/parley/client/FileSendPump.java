package dev.parley.client;

import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The sending side of a {@link TransferredFile}: once the receiver's channel is open, a
 * virtual thread reads the file chunk by chunk and writes it to the channel, pausing while
 * libwebrtc's send buffer is above a low-water mark so that a large file never sits in
 * memory; the transfer is done when the receiver answers {@code done} after the last byte.
 */
final class FileSendPump {
    /** The largest message the reference client sends, and the largest all browsers accept. */
    static final int CHUNK = 16384;
    /** Refill the channel's buffer when it drops below this, as the reference client does. */
    private static final long LOW_WATER = 65536;

    private final TransferredFile f;
    private final Object flow = new Object();
    private volatile boolean stopped;
    /** Event thread. */
    private boolean started;

    FileSendPump(TransferredFile f) {
        this.f = f;
    }

    /** Event thread: the channel to send on; sending starts when it is open. */
    void attach(RTCDataChannel channel) {
        channel.registerObserver(new SenderChannel(channel));
        if (channel.getState() == RTCDataChannelState.OPEN) {
            start(channel);
        }
    }

    /** Ends the pump (the transfer is over); wakes it if it waits for the buffer to drain. */
    void stop() {
        stopped = true;
        synchronized (flow) {
            flow.notifyAll();
        }
    }

    private void start(RTCDataChannel channel) {
        if (started) {
            return;
        }
        started = true;
        Thread.ofVirtual().name("parley-file-" + f.id()).start(() -> pump(channel));
    }

    private void pump(RTCDataChannel channel) {
        byte[] full = new byte[CHUNK];
        try (FileChannel in = FileChannel.open(f.file(), StandardOpenOption.READ)) {
            while (!stopped) {
                int n = in.read(ByteBuffer.wrap(full));
                if (n < 0) {
                    break;
                }
                if (n == 0) {
                    continue;
                }
                // a heap buffer is sent whole, whatever its limit: the last chunk needs its own array
                byte[] chunk = n == CHUNK ? full : Arrays.copyOf(full, n);
                synchronized (flow) {
                    while (!stopped && channel.getBufferedAmount() > LOW_WATER) {
                        flow.wait(100);
                    }
                }
                if (stopped) {
                    return;
                }
                channel.send(new RTCDataChannelBuffer(ByteBuffer.wrap(chunk), true));
                f.moved(n);
            }
        } catch (Exception e) {
            if (!stopped) {
                f.cancel(String.valueOf(e.getMessage()));
            }
        }
    }

    private final class SenderChannel implements RTCDataChannelObserver {
        private final RTCDataChannel channel;

        SenderChannel(RTCDataChannel channel) {
            this.channel = channel;
        }

        @Override
        public void onBufferedAmountChange(long previousAmount) {
            synchronized (flow) {
                flow.notifyAll();
            }
        }

        @Override
        public void onStateChange() {
            RTCDataChannelState s = channel.getState();
            f.sc().loop().execute(() -> {
                if (s == RTCDataChannelState.OPEN) {
                    start(channel);
                } else if (s == RTCDataChannelState.CLOSED && !f.isOver()) {
                    f.cancel("remote peer closed connection");
                }
            });
        }

        @Override
        public void onMessage(RTCDataChannelBuffer buffer) {
            String text = buffer.binary ? null : StandardCharsets.UTF_8.decode(buffer.data).toString();
            f.sc().loop().execute(() -> {
                if (f.isOver()) {
                    return;
                }
                if ("done".equals(text) && f.datalen() == f.size()) {
                    f.event("done", null);
                    f.close();
                } else {
                    f.cancel("unexpected data from receiver");
                }
            });
        }
    }
}

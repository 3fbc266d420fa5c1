package dev.parley.rtc.transport;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A media loop's UDP socket when the loop reads it itself ({@link ReceiveBatch}: recvmmsg through
 * FFM) and writes it itself ({@link DatagramBatch}: sendmmsg), with no Netty channel.
 *
 * <p>Readiness comes from the loop's own Netty epoll: the socket is registered on the loop's
 * {@link IoEventLoop} as an {@link EpollIoHandle} (Netty 4.2's public API for file descriptors that
 * are not channels), so one {@code epoll_wait} serves the socket, the loop's tasks (hand-off drains,
 * signalling posts) and its timers, as with a channel. Why not our own epoll on the loop thread: it
 * would have to replicate Netty's task queue, wake-ups and timers, or block beside them.
 * Level-triggered ({@code EPOLLIN} without {@code EPOLLET}): each wake-up reads at most
 * {@link #READS_PER_WAKEUP} batches, so a flood cannot starve the loop's tasks; whatever is left
 * wakes the loop again after them.
 *
 * <p>The socket itself is Netty's {@link LinuxSocket} (non-blocking, dual-stack IPv6 where the JVM
 * prefers it, as Netty's datagram channel makes it), with {@code SO_REUSEPORT} so every loop binds
 * the same port. Loop-confined after {@link #open}.
 */
final class LoopSocket implements EpollIoHandle {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LoopSocket.class);
    /** recvmmsg calls per readiness event before the loop runs its tasks. */
    static final int READS_PER_WAKEUP = 8;

    private final LinuxSocket socket;
    private final MediaLoop loop;
    private final ReceiveBatch reads;
    private IoRegistration registration;

    private LoopSocket(LinuxSocket socket, MediaLoop loop, ReceiveBatch reads) {
        this.socket = socket;
        this.loop = loop;
        this.reads = reads;
    }

    /** Whether the loops can own their sockets here: epoll, and recvmmsg and sendmmsg through FFM. */
    static boolean isSupported() {
        return ReceiveBatch.isSupported() && NativeCalls.SENDMMSG != null
                && NativeCalls.address(NativeCalls.allocate(8)).isPresent();
    }

    /** Binds a socket to {@code address:port} for {@code loop} and starts reading it on the loop. */
    static LoopSocket open(MediaLoop loop, InetAddress address, int port) throws IOException, InterruptedException {
        LinuxSocket s = LinuxSocket.newSocketDgram();
        try {
            s.setReusePort(true);
            s.setReceiveBufferSize(4 << 20);
            s.setSendBufferSize(4 << 20);
            s.bind(new InetSocketAddress(address, port));
            enableReceiveTimestamps(s.intValue());
            ReceiveBatch reads = ReceiveBatch.create(s.intValue())
                    .orElseThrow(() -> new IOException("recvmmsg is not available"));
            LoopSocket ls = new LoopSocket(s, loop, reads);
            IoRegistration r = ((IoEventLoop) loop.eventLoop()).register(ls).sync().getNow();
            ls.registration = r;
            r.submit(EpollIoOps.EPOLLIN);
            return ls;
        } catch (IOException | InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** {@code SO_TIMESTAMPNS}, as in the kernel's {@code asm-generic/socket.h} (x86-64, aarch64). */
    private static final int SO_TIMESTAMPNS = 35;
    private static final int SOL_SOCKET = 1;

    /**
     * Asks the kernel to stamp every received datagram with its software receive time
     * ({@code SO_TIMESTAMPNS}: {@code CLOCK_REALTIME}, taken as the packet enters the stack), which
     * {@link ReceiveBatch#timestamp} reads back: the server's forwarding delay is measured from it
     * ({@link ForwardingDelay}), so it includes the time a datagram waited in the socket's queue,
     * which no clock read on the loop could see. Without it the delay is simply not measured.
     */
    static boolean enableReceiveTimestamps(int fd) {
        if (NativeCalls.SETSOCKOPT == null) {
            return false;
        }
        java.nio.ByteBuffer one = NativeCalls.allocate(4).putInt(0, 1);
        long a = NativeCalls.address(one).orElse(0L);
        if (a == 0) {
            return false;
        }
        int r;
        try {
            r = (int) NativeCalls.SETSOCKOPT.invokeExact(fd, SOL_SOCKET, SO_TIMESTAMPNS, a, 4);
        } catch (Throwable t) {
            r = -1;
        } finally {
            java.lang.ref.Reference.reachabilityFence(one);
        }
        if (r != 0) {
            log.debug("SO_TIMESTAMPNS refused on the media socket: no forwarding delay measured");
        }
        return r == 0;
    }

    InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    @Override
    public void handle(IoRegistration r, IoEvent event) {
        for (int round = 0; round < READS_PER_WAKEUP; round++) {
            int n = reads.read();
            if (n <= 0) {
                return;             // nothing waiting, or a socket error consumed: epoll says if more is waiting
            }
            loop.onReadBatch(reads, n);
            if (n < ReceiveBatch.CAPACITY) {
                return;                                   // drained
            }
        }
    }

    /** Stops reading and closes the socket. On the loop (or once it has stopped); idempotent. */
    @Override
    public void close() throws IOException {
        IoRegistration r = registration;
        registration = null;
        if (r != null) {
            r.cancel();
        }
        if (socket.isOpen()) {
            socket.close();
        }
    }
}

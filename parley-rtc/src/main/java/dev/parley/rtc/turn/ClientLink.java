package dev.parley.rtc.turn;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;

/**
 * The client side of an allocation's 5-tuple: a UDP source address on one of the server's sockets,
 * or one TCP connection. Sending never blocks; a TCP connection that cannot keep up loses datagrams,
 * as a congested UDP path would.
 */
sealed interface ClientLink permits ClientLink.Udp, ClientLink.Tcp {
    InetSocketAddress remote();

    BoundListener listener();

    /** Sends one frame and takes ownership of {@code frame}. */
    void send(ByteBuf frame);

    /** ChannelData over TCP is padded to a multiple of 4 bytes (RFC 8656 §12.5). */
    boolean padsChannelData();

    record Udp(Channel socket, InetSocketAddress remote, BoundListener listener) implements ClientLink {
        @Override
        public void send(ByteBuf frame) {
            socket.writeAndFlush(new DatagramPacket(frame, remote), socket.voidPromise());
        }

        @Override
        public boolean padsChannelData() {
            return false;
        }
    }

    /** One TCP connection; it owns at most one allocation for its life (RFC 8656 §5). */
    final class Tcp implements ClientLink {
        private final Channel connection;
        private final BoundListener listener;
        private final long openedAt = System.nanoTime();
        Allocation allocation;

        Tcp(Channel connection, BoundListener listener) {
            this.connection = connection;
            this.listener = listener;
        }

        @Override
        public InetSocketAddress remote() {
            return (InetSocketAddress) connection.remoteAddress();
        }

        @Override
        public BoundListener listener() {
            return listener;
        }

        @Override
        public void send(ByteBuf frame) {
            if (connection.isWritable()) {
                connection.writeAndFlush(frame, connection.voidPromise());
            } else {
                frame.release();
            }
        }

        @Override
        public boolean padsChannelData() {
            return true;
        }

        long openedAt() {
            return openedAt;
        }

        void close() {
            connection.close();
        }
    }
}

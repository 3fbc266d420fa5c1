package dev.parley.rtc.turn;

import io.netty.channel.Channel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/** One listening address as bound: its UDP socket and the allocations of its UDP clients. Loop-confined. */
final class BoundListener {
    final TurnConfig.Listener config;
    final Channel udp;
    final InetSocketAddress udpAddress;
    final Map<InetSocketAddress, Allocation> udpAllocations = new HashMap<>();
    InetSocketAddress tcpAddress;
    Channel tcp;

    BoundListener(TurnConfig.Listener config, Channel udp) {
        this.config = config;
        this.udp = udp;
        this.udpAddress = (InetSocketAddress) udp.localAddress();
    }

    InetAddress relayBindAddress() {
        return config.bind().getAddress();
    }

    InetAddress relayAddress() {
        return config.relayAddress();
    }
}

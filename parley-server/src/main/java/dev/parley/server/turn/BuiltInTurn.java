package dev.parley.server.turn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import dev.parley.rtc.turn.PeerPolicy;
import dev.parley.rtc.turn.TurnConfig;
import dev.parley.rtc.turn.TurnLimits;
import dev.parley.rtc.turn.TurnServer;
import dev.parley.rtc.turn.TurnStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The built-in TURN server behind {@code -turn} (L10), started and stopped as Galène's is:
 * {@code auto} runs it on port 1194 of the machine's public IPv4 addresses while
 * {@code <data>/ice-servers.json} does not exist; {@code IP:PORT} always runs it (on IP when it is a
 * local address, else on every interface, relaying as IP: a server behind a 1:1 NAT); {@code ""} never does. Each start draws a fresh password for the user
 * {@code galene} in realm {@code galene.org}.
 *
 * <p>It relays to public addresses and to the SFU's own media sockets (which may be private or
 * loopback: behind a NAT, the built-in TURN server is how clients reach them).
 */
public final class BuiltInTurn implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BuiltInTurn.class);
    public static final String USERNAME = "galene";
    public static final String REALM = "galene.org";
    static final int DEFAULT_PORT = 1194;

    private final String address;
    private final Supplier<List<InetSocketAddress>> sfuAddresses;
    private final Supplier<List<InetAddress>> publicAddresses;
    private final int autoPort;
    private TurnServer server;
    private String password;
    private List<String> urls = List.of();
    private Boolean lastWanted;

    /**
     * @param address      the {@code -turn} value: "auto", "", or "[IP]:PORT"
     * @param sfuAddresses the SFU's announced media addresses, always relayable
     */
    public BuiltInTurn(String address, Supplier<List<InetSocketAddress>> sfuAddresses) {
        this(address, sfuAddresses, BuiltInTurn::publicAddresses, DEFAULT_PORT);
    }

    /** For tests of {@code auto}: which addresses count as public, and the port instead of 1194. */
    public BuiltInTurn(String address, Supplier<List<InetSocketAddress>> sfuAddresses,
                       Supplier<List<InetAddress>> publicAddresses, int autoPort) {
        this.address = address == null ? "" : address.trim();
        this.sfuAddresses = sfuAddresses;
        this.publicAddresses = publicAddresses;
        this.autoPort = autoPort;
    }

    /**
     * Galène's {@code StartStop}: called whenever the ICE configuration is built, with whether
     * {@code ice-servers.json} exists. A failed start is retried only after the wish changes, so a
     * machine without public addresses logs it once.
     */
    public synchronized void update(boolean iceServersFileExists) {
        boolean wanted = switch (address) {
            case "" -> false;
            case "auto" -> !iceServersFileExists;
            default -> true;
        };
        if (Boolean.valueOf(wanted).equals(lastWanted)) return;
        lastWanted = wanted;
        if (wanted) start();
        else stop();
    }

    /** The {@code iceServers} entry for clients, or null when the server is not running. */
    public synchronized ObjectNode iceServer() {
        if (server == null) return null;
        ObjectNode s = Json.object();
        urls.forEach(s.putArray("urls")::add);
        s.put("username", USERNAME);
        s.put("credential", password);
        return s;
    }

    /** Counters, or null when the server is not running. */
    public synchronized TurnStats stats() {
        return server == null ? null : server.stats();
    }

    private void start() {
        try {
            String spec = address.equals("auto") ? ":" + autoPort : address;
            int colon = spec.lastIndexOf(':');
            if (colon < 0) throw new IllegalArgumentException("-turn must be auto, \"\" or IP:PORT, got " + address);
            String host = spec.substring(0, colon);
            int port = Integer.parseInt(spec.substring(colon + 1));
            List<TurnConfig.Listener> listeners = new ArrayList<>();
            InetAddress ip = host.isEmpty() ? null : InetAddress.getByName(host);
            if (ip != null && !ip.isAnyLocalAddress()) {
                if (!(ip instanceof Inet4Address)) throw new IllegalArgumentException("-turn: IPv4 only, got " + host);
                // Galène listens on every interface, so that IP may be a NAT's public address; when IP is
                // one of ours, bind it instead: a wildcard UDP socket answers from whatever source address
                // the route picks, and clients drop answers that do not come from the server they asked.
                InetAddress bind = NetworkInterface.getByInetAddress(ip) != null ? ip : InetAddress.getByName("0.0.0.0");
                listeners.add(new TurnConfig.Listener(new InetSocketAddress(bind, port), ip));
            } else {
                for (InetAddress a : publicAddresses.get()) listeners.add(new TurnConfig.Listener(new InetSocketAddress(a, port), a));
                if (listeners.isEmpty()) {
                    log.info("TURN: no public addresses, the built-in TURN server is not started");
                    return;
                }
            }
            byte[] secret = new byte[6];
            new SecureRandom().nextBytes(secret);
            password = Base64.getEncoder().withoutPadding().encodeToString(secret);
            server = TurnServer.start(new TurnConfig(listeners, REALM, Map.of(USERNAME, password), TurnLimits.defaults(),
                    PeerPolicy.publicOnly(Set.copyOf(sfuAddresses.get())), null));
            urls = urls(server, listeners);
            log.info("Starting built-in TURN server: {}", urls);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("TURN: {}", e.getMessage());
            server = null;
        }
    }

    /** What clients are told: each listener's relay address with the port actually bound, UDP then TCP. */
    private static List<String> urls(TurnServer server, List<TurnConfig.Listener> listeners) {
        List<String> out = new ArrayList<>();
        Set<Integer> tcpPorts = new HashSet<>();
        server.tcpAddresses().forEach(a -> tcpPorts.add(a.getPort()));
        List<InetSocketAddress> udp = server.udpAddresses();
        for (InetSocketAddress bound : udp) {
            InetAddress relay = relayAddressOf(bound, listeners);
            String hostPort = relay.getHostAddress() + ":" + bound.getPort();
            out.add("turn:" + hostPort);
            if (tcpPorts.contains(bound.getPort())) out.add("turn:" + hostPort + "?transport=tcp");
        }
        return List.copyOf(out);
    }

    private static InetAddress relayAddressOf(InetSocketAddress bound, List<TurnConfig.Listener> listeners) {
        for (TurnConfig.Listener l : listeners) {
            if (l.bind().getAddress().equals(bound.getAddress())) return l.relayAddress();
        }
        return listeners.get(0).relayAddress();    // a wildcard listener: the one explicit address
    }

    /** Galène's rule: global unicast IPv4, not RFC 1918 (and not loopback or link-local). */
    static List<InetAddress> publicAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) continue;
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && isPublic(a)) out.add(a);
                }
            }
        } catch (SocketException e) {
            log.warn("TURN: cannot list interfaces: {}", e.getMessage());
        }
        return out;
    }

    static boolean isPublic(InetAddress a) {
        byte[] b = a.getAddress();
        int b0 = b[0] & 0xFF, b1 = b[1] & 0xFF;
        return !(a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isMulticastAddress() || a.isAnyLocalAddress()
                || b0 == 10 || (b0 == 172 && b1 >= 16 && b1 < 32) || (b0 == 192 && b1 == 168) || b0 >= 240);
    }

    private void stop() {
        if (server == null) return;
        log.info("Stopping built-in TURN server");
        server.close();
        server = null;
        urls = List.of();
    }

    @Override
    public synchronized void close() {
        stop();
    }
}

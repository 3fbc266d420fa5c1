package dev.parley.rtc.turn;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * An independent TURN client against ours: coturn's {@code turnutils_uclient} (Debian package
 * {@code coturn}) on loopback, over UDP and TCP, with channels and with Send indications, with good and
 * bad credentials. Relays talk to each other ({@code -y}), so the server must allow loopback peers.
 * Skipped when the tool is missing, except on CI ({@code CI=true}) where that is a failure.
 */
class CoturnUclientInteropTest {
    private static final Path UCLIENT = Path.of("/usr/bin/turnutils_uclient");
    private static final Pattern LOST = Pattern.compile("Total lost packets (\\d+) \\(([0-9.]+)%\\)");
    private static final Pattern SENT = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");

    static void requireUclient() {
        if (Files.isExecutable(UCLIENT)) return;
        if ("true".equals(System.getenv("CI"))) fail("turnutils_uclient is missing: install Debian's coturn package");
        Assumptions.abort("turnutils_uclient not installed (Debian package coturn)");
    }

    private static TurnServer start() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        return TurnServer.start(new TurnConfig(List.of(new TurnConfig.Listener(new InetSocketAddress(lo, 0), lo)),
                "galene.org", Map.of("galene", "s3cret"), TurnLimits.defaults(), PeerPolicy.allowingLoopbackForTests(), null));
    }

    record Run(int exit, String output) {
        long lost() {
            Matcher m = LOST.matcher(output);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        /** The final tot_send_msgs and tot_recv_msgs, or -1s when the client never got to send. */
        long[] sentReceived() {
            Matcher m = SENT.matcher(output);
            long[] last = {-1, -1};
            while (m.find()) last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            return last;
        }

        /** Every message sent came back through the two relays, and none was lost. */
        void assertAllRelayed(int expected) {
            assertThat(exit).as(output).isZero();
            assertThat(lost()).as(output).isZero();
            assertThat(sentReceived()).as(output).containsExactly(expected, expected);
        }
    }

    /** Messages per client and client pairs; -Dturn.uclient.messages / .clients for a longer measurement. */
    static final int MESSAGES = Integer.getInteger("turn.uclient.messages", 100);
    static final int CLIENTS = Integer.getInteger("turn.uclient.clients", 1);
    /** With -y the clients talk in pairs: -m 1 still runs two, and every message is counted by both. */
    static final int EXPECTED = MESSAGES * Math.max(2, CLIENTS);

    /** CPU time of the TURN event loop thread(s) alive now, in nanoseconds. */
    static long turnLoopCpuNanos() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("parley-turn"))
                .mapToLong(t -> Math.max(0, mx.getThreadCpuTime(t.threadId()))).sum();
    }

    static Run uclient(int port, String password, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(UCLIENT.toString(), "-u", "galene", "-w", password,
                "-p", Integer.toString(port), "-n", Integer.toString(MESSAGES), "-m", Integer.toString(CLIENTS),
                "-l", "200", "-z", Integer.getInteger("turn.uclient.intervalMillis", 5).toString(), "-y", "-c"));
        cmd.addAll(List.of(flags));
        cmd.add("127.0.0.1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("turnutils_uclient did not finish in 60 s: " + new String(p.getInputStream().readNBytes(20000), StandardCharsets.UTF_8));
            }
        } finally {
            out = p.getInputStream().readAllBytes();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("turnutils_uclient " + String.join(" ", flags) + ":\n" + text);
        return new Run(p.exitValue(), text);
    }

    @Test
    void udpWithChannels() throws Exception {
        requireUclient();
        try (TurnServer server = start()) {
            long cpu = turnLoopCpuNanos();
            Run r = uclient(server.udpAddresses().get(0).getPort(), "s3cret");
            long relayed = server.stats().relayedPackets();
            System.out.printf("TURN loop CPU per relayed packet: %.1f µs (%d packets)%n",
                    (turnLoopCpuNanos() - cpu) / 1000.0 / Math.max(1, relayed), relayed);
            r.assertAllRelayed(EXPECTED);
            assertThat(relayed).as("each message crosses two relays").isGreaterThanOrEqualTo(2L * EXPECTED);
        }
    }

    @Test
    void udpWithSendIndications() throws Exception {
        requireUclient();
        try (TurnServer server = start()) {
            Run r = uclient(server.udpAddresses().get(0).getPort(), "s3cret", "-s");
            r.assertAllRelayed(EXPECTED);
        }
    }

    @Test
    void tcpWithChannels() throws Exception {
        requireUclient();
        try (TurnServer server = start()) {
            Run r = uclient(server.tcpAddresses().get(0).getPort(), "s3cret", "-t");
            r.assertAllRelayed(EXPECTED);
        }
    }

    @Test
    void wrongPasswordRelaysNothing() throws Exception {
        requireUclient();
        try (TurnServer server = start()) {
            Run r = uclient(server.udpAddresses().get(0).getPort(), "wrong");
            assertThat(r.sentReceived()[1]).as(r.output()).isLessThanOrEqualTo(0);
            assertThat(server.stats().allocations()).isZero();
            assertThat(server.stats().relayedPackets()).isZero();
            assertThat(server.stats().rejected()).isPositive();
        }
    }
}

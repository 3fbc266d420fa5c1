package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator against a server that behaves like Galène towards it: candidates only in
 * {@code ice} messages ({@code -ice-trickle}, S16), and announced on the machine's non-loopback
 * address (the private namespace's veth under scripts/in-private-netns; loopback if there is none).
 */
@Tag("media")
class TrickleLoadTest {

    @Test
    void S16_S22_fanOutThroughAServerThatTricklesItsCandidatesOnANonLoopbackAddress(@TempDir Path root) throws Exception {
        Path groups = Files.createDirectories(root.resolve("groups"));
        Files.writeString(groups.resolve("bench.json"),
                "{\"wildcard-user\": {\"password\": {\"type\": \"wildcard\"}, \"permissions\": \"present\"}}");
        String address = nonLoopbackAddress();
        ParleyServer server = ParleyServer.start(new ServerOptions("127.0.0.1:0", true, null, root.resolve("data"),
                groups, root.resolve("recordings"), "", "", false, false, List.of(address), true));
        try {
            URI url = URI.create("ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws");
            ScenarioRunner runner = new ScenarioRunner(
                    () -> new LoadContext(url, "bench", "t", "", SrtpProfile.values()), null,
                    Duration.ofMillis(1000), Duration.ofSeconds(2), 1, System.out::println);
            StepResult r = runner.run(Scenarios.fanOut(List.of(2), MediaSettings.camera(300_000, true, 30, 1))).getFirst();
            System.out.println("-ice-trickle, server announcing " + address + ": " + r);
            assertThat(r.streams()).isEqualTo(2);
            assertThat(r.forwardedPerSecond()).isGreaterThan(2 * 60);
            assertThat(r.lossPercent()).isLessThan(5);
        } finally {
            server.shutdown();
        }
    }

    /** The first IPv4 address of an interface that is up and not loopback, else 127.0.0.1. */
    static String nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (var a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address) {
                    return a.getHostAddress();
                }
            }
        }
        return "127.0.0.1";
    }
}

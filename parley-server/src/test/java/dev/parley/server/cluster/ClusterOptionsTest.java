package dev.parley.server.cluster;

import dev.parley.server.Main;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code -cluster} and {@code -cluster-url}: accepted forms, and clear errors for the rest. */
class ClusterOptionsTest {
    @Test
    void redisUrlWithDefaultLease() {
        ClusterOptions o = ClusterOptions.parse("redis://10.0.0.5:6379", null);
        assertThat(o.redis().toString()).isEqualTo("redis://10.0.0.5:6379");
        assertThat(o.lease()).isEqualTo(ClusterOptions.DEFAULT_LEASE);
        assertThat(o.renewEvery()).isEqualTo(ClusterOptions.DEFAULT_LEASE.dividedBy(3));
        assertThat(o.nodeUrl()).isNull();
    }

    @Test
    void leaseAndNodeUrl() {
        ClusterOptions o = ClusterOptions.parse("redis://r:1?lease=3000", "https://node2.example.org:8443/");
        assertThat(o.lease()).isEqualTo(Duration.ofSeconds(3));
        assertThat(o.nodeUrl()).isEqualTo("https://node2.example.org:8443");
    }

    @Test
    void badInputNamesTheFlagAndTheForm() {
        assertThatThrownBy(() -> ClusterOptions.parse("localhost:6379", null)).hasMessageContaining("redis://HOST:PORT");
        assertThatThrownBy(() -> ClusterOptions.parse("redis://h", null)).hasMessageContaining("redis://HOST:PORT");
        assertThatThrownBy(() -> ClusterOptions.parse("redis://h:1/3", null)).hasMessageContaining("redis://HOST:PORT");
        assertThatThrownBy(() -> ClusterOptions.parse("redis://h:1?lease=soon", null)).hasMessageContaining("milliseconds");
        assertThatThrownBy(() -> ClusterOptions.parse("redis://h:1?lease=10", null)).hasMessageContaining("at least");
        assertThatThrownBy(() -> ClusterOptions.parse("redis://h:1?db=2", null)).hasMessageContaining("unknown parameter");
        assertThatThrownBy(() -> ClusterOptions.parse("redis://h:1", "node2:8443")).hasMessageContaining("-cluster-url");
    }

    @Test
    void theCommandLineRefusesBadClusterFlagsBeforeStartingAnything() {
        assertThat(new CommandLine(new Main()).execute("-cluster", "localhost:6379")).isEqualTo(2);
        assertThat(new CommandLine(new Main()).execute("-cluster-url", "http://n:1")).isEqualTo(2);
    }

    @Test
    void aNodeThatCannotReachRedisDoesNotStart(@TempDir Path root) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ServerOptions options = new ServerOptions("127.0.0.1:0", true, null, root.resolve("data"), root.resolve("groups"),
                root.resolve("recordings"), "", "", false, false, List.of("127.0.0.1"));
        assertThatThrownBy(() -> ParleyServer.start(options, ClusterOptions.parse("redis://127.0.0.1:" + closed, null)))
                .hasMessageContaining("-cluster: cannot reach Redis at redis://127.0.0.1:" + closed);
    }

    @Test
    void webSocketEndpointAndGroupPageOfANode() {
        assertThat(NodeUrls.webSocket("https://n.example.org:8443")).isEqualTo("wss://n.example.org:8443/ws");
        assertThat(NodeUrls.webSocket("http://127.0.0.1:9/prefix")).isEqualTo("ws://127.0.0.1:9/prefix/ws");
        assertThat(NodeUrls.groupPage("http://h:1", "a b/c")).isEqualTo("http://h:1/group/a%20b/c/");
        assertThat(NodeUrls.origin("https://N.example.org:8443/p")).isEqualTo("https://n.example.org:8443");
    }
}

package dev.parley.server.cluster;

import org.junit.jupiter.api.Test;

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
    void webSocketEndpointAndGroupPageOfANode() {
        assertThat(NodeUrls.webSocket("https://n.example.org:8443")).isEqualTo("wss://n.example.org:8443/ws");
        assertThat(NodeUrls.webSocket("http://127.0.0.1:9/prefix")).isEqualTo("ws://127.0.0.1:9/prefix/ws");
        assertThat(NodeUrls.groupPage("http://h:1", "a b/c")).isEqualTo("http://h:1/group/a%20b/c/");
        assertThat(NodeUrls.origin("https://N.example.org:8443/p")).isEqualTo("https://n.example.org:8443");
    }
}

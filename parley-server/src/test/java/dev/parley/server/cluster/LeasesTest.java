package dev.parley.server.cluster;

import dev.parley.server.testing.RedisProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.parley.server.cluster.ClusterFixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The placement and renewal scripts against a real redis-server, without servers around them. */
class LeasesTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final NodeLoad IDLE = new NodeLoad(0, 0, 0, 0);
    private RedisProcess redis;
    private RedisLink link;
    private Membership members;
    private Leases leases;

    @BeforeEach
    void connect() throws Exception {
        redis = RedisProcess.start();
        link = RedisLink.connect(URI.create(redis.url()), Duration.ofSeconds(5));
        members = new Membership(link);
        leases = new Leases(link, LEASE);
    }

    @AfterEach
    void stop() throws Exception {
        if (link != null) {
            link.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void afterAnEmptyStartOnlyTheNodeThatHasTheGroupGetsItBackUntilTheGraceIsOver() throws InterruptedException {
        members.register("a", "http://a:1", IDLE, Map.of(), LEASE, Duration.ofMillis(800));
        members.register("b", "http://b:1", IDLE, Map.of(), LEASE, Duration.ofMillis(800));   // no second grace
        assertThat(leases.place("new", "b", false)).isSameAs(Leases.Owner.RECOVERING);
        assertThat(leases.place("held", "a", true)).isEqualTo(new Leases.Owner("a", "http://a:1"));
        assertThat(leases.place("held", "b", false)).isEqualTo(new Leases.Owner("a", "http://a:1"));
        assertThat(eventually(Duration.ofSeconds(20), () -> link.sync().exists("parley:grace") == 0)).isTrue();
        // then the least-loaded node; between equal scores the lower id, a
        Leases.Owner first = leases.place("new", "b", false);
        assertThat(first.nodeId()).isEqualTo("a");
        assertThat(leases.place("other", "b", false).nodeId()).as("a's score was raised by the first").isEqualTo("b");
        // renewal: a keeps its own, b does not get a's
        assertThat(leases.renew("a", List.of("held", "new"))).containsExactly(true, true);
        assertThat(leases.renew("b", List.of("held"))).containsExactly(false);
        leases.release("b", "held");                                        // not b's: nothing happens
        assertThat(link.sync().get("parley:lease:held")).isEqualTo("a");
        leases.release("a", "held");
        assertThat(link.sync().get("parley:lease:held")).isNull();
    }

    @Test
    void aLeaseWhoseHolderIsNoLongerRegisteredIsVoid() throws InterruptedException {
        members.register("a", "http://a:1", IDLE, Map.of(), LEASE, Duration.ofMillis(1));
        members.register("b", "http://b:1", new NodeLoad(5, 0, 0, 0), Map.of(), LEASE, Duration.ofMillis(1));
        assertThat(eventually(Duration.ofSeconds(20), () -> link.sync().exists("parley:grace") == 0)).isTrue();
        assertThat(leases.place("g", "b", false).nodeId()).isEqualTo("a");
        members.deregister("a");                                            // as if its key had expired
        assertThat(leases.place("g", "b", false)).isEqualTo(new Leases.Owner("b", "http://b:1"));
        assertThat(link.sync().smembers("parley:nodes")).containsExactly("b");
    }
}

package dev.parley.rtc.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The media loop's route table against a HashMap, through growth and back-shifting removals. */
class TupleRoutesTest {
    /** What a route leads to: only its identity matters to the table. */
    static final Object[] TRANSPORTS = {new Object(), new Object(), new Object(), new Object(),
            new Object(), new Object(), new Object(), new Object()};

    static Object transport(int i) {
        return TRANSPORTS[i];
    }

    static InetSocketAddress tuple(Random r) throws Exception {
        byte[] b = new byte[r.nextBoolean() ? 4 : 16];
        r.nextBytes(b);
        b[0] = (byte) (b[0] & 0x0F | 0x10);              // few distinct leading bytes: many near-collisions
        int port = 1 + r.nextInt(4);                     // few ports: the same address with several ports
        return new InetSocketAddress(InetAddress.getByAddress(b), port);
    }

    @Test
    void behavesAsAMapThroughGrowthAndRemovals() throws Exception {
        Random r = new Random(7);
        TupleRoutes<Object> routes = new TupleRoutes<>();
        Map<InetSocketAddress, Object> expected = new HashMap<>();
        List<InetSocketAddress> known = new ArrayList<>();
        SourceTuple probe = new SourceTuple();
        for (int step = 0; step < 20_000; step++) {
            int op = r.nextInt(10);
            if (op < 5 || known.isEmpty()) {
                InetSocketAddress a = tuple(r);
                Object t = transport(r.nextInt(8));
                routes.put(a, t);
                expected.put(a, t);
                known.add(a);
            } else if (op < 8) {
                InetSocketAddress a = known.get(r.nextInt(known.size()));
                Object t = transport(r.nextInt(8));  // removes only when it is the route's transport
                routes.remove(a, t);
                expected.remove(a, t);
            } else {
                InetSocketAddress a = known.get(r.nextInt(known.size()));
                int slot = routes.find(probe.set(a));
                assertThat(slot >= 0 ? routes.transportAt(slot) : null).isSameAs(expected.get(a));
                if (slot >= 0) assertThat(routes.addressAt(slot)).isEqualTo(a);
            }
            assertThat(routes.size()).isEqualTo(expected.size());
        }
        for (InetSocketAddress a : known) {
            int slot = routes.find(probe.set(a));
            assertThat(slot >= 0 ? routes.transportAt(slot) : null).as("%s", a).isSameAs(expected.get(a));
        }
    }

    @Test
    void anIpv4SenderReportedIpv4MappedByADualStackSocketFindsItsRoute() throws Exception {
        TupleRoutes<Object> routes = new TupleRoutes<>();
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5000);
        routes.put(v4, transport(0));
        SourceTuple mapped = new SourceTuple();
        mapped.setIpv6(0, 0xFFFF_C000_0207L, 0, 5000);   // ::ffff:192.0.2.7, as recvmmsg on an AF_INET6 socket says
        assertThat(routes.find(mapped)).isNotNegative();
        assertThat(routes.addressAt(routes.find(mapped))).isEqualTo(v4);
        assertThat(mapped.toAddress()).isEqualTo(v4);
        mapped.port = 5001;
        assertThat(routes.find(mapped)).isNegative();
    }

    @Test
    void ipv6TuplesDifferingOnlyInScopeAreDistinct() throws Exception {
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        InetSocketAddress one = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 1), 9);
        InetSocketAddress two = new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 2), 9);
        TupleRoutes<Object> routes = new TupleRoutes<>();
        routes.put(one, transport(1));
        routes.put(two, transport(2));
        SourceTuple probe = new SourceTuple();
        assertThat(routes.transportAt(routes.find(probe.set(one)))).isSameAs(transport(1));
        assertThat(routes.transportAt(routes.find(probe.set(two)))).isSameAs(transport(2));
        assertThat(probe.set(two).toAddress()).isEqualTo(two);
    }
}

package dev.parley.server.testing;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;

/**
 * Browsers and link impairment run only inside scripts/in-private-netns, whose namespace has
 * {@code lo} and its own veth pair ({@code pnveth0}, {@code pnveth1}) and nothing else: a browser
 * there can reach no other machine, and a qdisc or firewall rule there cannot touch the host's
 * interfaces. Naming a browser test with {@code -Dtest=} outside the namespace once ran browsers
 * and {@code tc} in the host's namespace (a {@code -Dtest} pattern does not exclude tagged tests),
 * so the launchers check where they are instead of trusting the command line.
 */
public final class PrivateNetwork {
    private static final List<String> NAMESPACE_INTERFACES = List.of("lo", "pnveth0", "pnveth1");

    private PrivateNetwork() {
    }

    /** Whether every network interface this process sees is one of the private namespace's. */
    public static boolean inside() {
        try {
            return NetworkInterface.networkInterfaces().allMatch(i -> NAMESPACE_INTERFACES.contains(i.getName()));
        } catch (SocketException e) {
            return false;
        }
    }

    /** Skips the test (fails it under {@code CI=true}) unless it runs inside the private namespace. */
    public static void require() {
        TestPrerequisite.require(inside(),
                "browsers and link impairment run only inside scripts/in-private-netns (interfaces lo, pnveth0, pnveth1)");
    }
}

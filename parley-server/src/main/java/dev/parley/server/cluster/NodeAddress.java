package dev.parley.server.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/** This node's public base URL when {@code -cluster-url} is not given. */
public final class NodeAddress {
    private NodeAddress() {
    }

    /**
     * {@code http(s)://HOST:PORT} with the bound port and, as host, the listening address unless
     * it is a wildcard, else the first {@code -announce} address, else the machine's name.
     */
    public static String defaultUrl(boolean tls, InetSocketAddress bound, List<String> announce) {
        String host;
        InetAddress a = bound.getAddress();
        if (a != null && !a.isAnyLocalAddress()) {
            host = a.getHostAddress();
        } else if (!announce.isEmpty()) {
            host = announce.getFirst();
        } else {
            try {
                host = InetAddress.getLocalHost().getCanonicalHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
        }
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";                     // IPv6 literal
        }
        return (tls ? "https" : "http") + "://" + host + ":" + bound.getPort();
    }
}

package dev.parley.server.cluster;

import dev.parley.server.http.UrlPaths;

/** URLs built from a node's public base URL. */
public final class NodeUrls {
    private NodeUrls() {
    }

    /** {@code http://h:p/prefix} → {@code ws://h:p/prefix/ws} (https → wss), as H26's endpoint. */
    public static String webSocket(String base) {
        String ws = base.startsWith("https:") ? "wss:" + base.substring("https:".length())
                : "ws:" + base.substring(base.indexOf(':') + 1);
        return ws + "/ws";
    }

    /** The group's page on that node, where Galène's and Parley's clients go on {@code joined redirect}. */
    public static String groupPage(String base, String group) {
        return base + UrlPaths.escape("/group/" + group + "/");
    }

    /** {@code scheme://host[:port]} of a base URL, to compare with an Origin header. */
    static String origin(String base) {
        int slash = base.indexOf('/', base.indexOf("://") + 3);
        return (slash < 0 ? base : base.substring(0, slash)).toLowerCase(java.util.Locale.ROOT);
    }
}

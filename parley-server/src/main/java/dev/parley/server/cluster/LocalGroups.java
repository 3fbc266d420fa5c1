package dev.parley.server.cluster;

import dev.parley.server.api.ClientStatistics;
import dev.parley.server.group.Group;
import dev.parley.server.group.GroupManager;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** What this node reports about its groups: load, member counts, public summaries. */
final class LocalGroups {
    private final GroupManager groups;

    LocalGroups(GroupManager groups) {
        this.groups = groups;
    }

    int clientCount(String name) {
        Group g = groups.getLoaded(name);
        return g == null ? 0 : g.clientCount();
    }

    NodeLoad load(int heldGroups) {
        int members = 0;
        int streams = 0;
        for (Group g : groups.loadedGroups()) {
            for (var m : g.members()) {
                members++;
                if (m instanceof ClientStatistics s) {
                    streams += s.upStatistics().size();
                }
            }
        }
        return new NodeLoad(members, streams, heldGroups, cpu());
    }

    /** The public ones among {@code held}, for other nodes' {@code /public-groups.json}. */
    Map<String, LiveNode.GroupSummary> publicSummaries(Collection<String> held) {
        Map<String, LiveNode.GroupSummary> m = new HashMap<>();
        for (String name : held) {
            Group g = groups.getLoaded(name);
            if (g != null && g.description().isPublic()) {
                m.put(name, new LiveNode.GroupSummary(g.clientCount(), g.isLocked()));
            }
        }
        return m;
    }

    private static double cpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuLoad();
        }
        return -1;
    }
}

package dev.parley.server.metrics;

import dev.parley.server.group.Group;
import dev.parley.server.group.GroupManager;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Groups in memory and their members, counted when scraped. */
final class GroupMetrics {
    private GroupMetrics() {
    }

    static void bind(MeterRegistry registry, GroupManager groups) {
        Gauge.builder("parley.groups", groups, g -> g.loadedGroups().size())
                .description("Groups loaded in memory").register(registry);
        Gauge.builder("parley.group.members", groups, GroupMetrics::members)
                .description("Members of all groups (WebSocket clients, WHIP presenters, recorders)").register(registry);
    }

    private static double members(GroupManager groups) {
        long n = 0;
        for (Group g : groups.loadedGroups()) {
            n += g.clientCount();
        }
        return n;
    }
}

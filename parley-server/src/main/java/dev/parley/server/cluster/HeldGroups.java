package dev.parley.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The groups this node serves, with when their lease was last confirmed. Times are
 * {@link System#nanoTime} values taken <em>before</em> the Redis call that set the lease, so
 * that "confirmed at t" means "nobody else can hold it before t + lease" even though the
 * answer arrived later.
 */
final class HeldGroups {
    private record Held(long confirmedAt, long busyAt) {
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final long leaseNanos;

    HeldGroups(java.time.Duration lease) {
        this.leaseNanos = lease.toNanos();
    }

    /** This node holds the group as of {@code sentAt}. */
    void confirm(String group, long sentAt) {
        held.merge(group, new Held(sentAt, sentAt),
                (old, n) -> new Held(Math.max(old.confirmedAt, sentAt), old.busyAt));
    }

    /** The group had members at {@code now}: it is not idle. */
    void busy(String group, long now) {
        held.computeIfPresent(group, (g, h) -> new Held(h.confirmedAt, now));
    }

    void drop(String group) {
        held.remove(group);
    }

    boolean holds(String group) {
        return held.containsKey(group);
    }

    /**
     * Whether the lease is certainly still ours at {@code now}: confirmed less than a lease ago,
     * with a margin for clock rate differences between this machine and Redis's.
     */
    boolean certain(String group, long now) {
        Held h = held.get(group);
        return h != null && now - h.confirmedAt < leaseNanos - leaseNanos / 10;
    }

    /** Held and without members for a whole lease: time to let the lease go. */
    boolean idleSince(String group, long now) {
        Held h = held.get(group);
        return h != null && now - h.busyAt > leaseNanos;
    }

    List<String> names() {
        return new ArrayList<>(held.keySet());
    }

    int size() {
        return held.size();
    }
}

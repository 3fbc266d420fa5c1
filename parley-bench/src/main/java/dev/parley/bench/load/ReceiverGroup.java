package dev.parley.bench.load;

import dev.parley.bench.impair.ImpairmentCounters;
import dev.parley.bench.impair.ImpairmentProfile;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The subscribers that share one network profile: the unimpaired (profile null; their loss and
 * latency decide capacity) or one {@code --impair} group. Holds the counters its links and
 * subscriptions add to; the per-stream counts are summed by {@link LoadContext#groupTotals}.
 */
public final class ReceiverGroup {
    final int index;
    final ImpairmentProfile profile;             // null: not impaired
    final ImpairmentCounters link = new ImpairmentCounters();
    final AtomicLong nacks = new AtomicLong();
    final AtomicLong plis = new AtomicLong();

    ReceiverGroup(int index, ImpairmentProfile profile) {
        this.index = index;
        this.profile = profile;
    }

    public boolean impaired() {
        return profile != null;
    }

    public String label() {
        return profile == null ? "unimpaired" : "group " + index + ": " + profile.describe();
    }
}

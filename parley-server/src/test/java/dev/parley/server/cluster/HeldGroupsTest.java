package dev.parley.server.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The fencing rule, on explicit nanoTime values: certain for 0.9 lease after the confirming request was sent. */
class HeldGroupsTest {
    private static final long LEASE = Duration.ofSeconds(10).toNanos();

    @Test
    void certainOnlyWhileTheLastConfirmationIsLessThanNineTenthsOfALeaseOld() {
        HeldGroups held = new HeldGroups(Duration.ofNanos(LEASE));
        long t = 1_000_000_000L;
        assertThat(held.certain("g", t)).isFalse();
        held.confirm("g", t);
        assertThat(held.certain("g", t + LEASE * 9 / 10 - 1)).isTrue();
        assertThat(held.certain("g", t + LEASE * 9 / 10)).isFalse();
        held.confirm("g", t - 5);                        // an older answer arriving late changes nothing
        assertThat(held.certain("g", t + LEASE * 9 / 10 - 1)).isTrue();
        held.drop("g");
        assertThat(held.certain("g", t)).isFalse();
        assertThat(held.holds("g")).isFalse();
    }

    @Test
    void idleOnlyAfterAWholeLeaseWithoutMembers() {
        HeldGroups held = new HeldGroups(Duration.ofNanos(LEASE));
        long t = 5_000_000_000L;
        held.confirm("g", t);
        assertThat(held.idleSince("g", t + LEASE)).isFalse();
        assertThat(held.idleSince("g", t + LEASE + 1)).isTrue();
        held.busy("g", t + LEASE);
        assertThat(held.idleSince("g", t + LEASE + 1)).isFalse();
        assertThat(held.idleSince("other", t + 10 * LEASE)).isFalse();
    }
}

package dev.parley.server.sfu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue #13: the RTCP tick spread over sub-ticks. Each member once per interval, at the same
 * phase every interval, members joining and leaving mid-interval, slots kept even, nothing
 * allocated per run. Counted, not timed.
 */
class TickSlotsTest {
    private static final TickSlots.FailureHandler<Object> RETHROW = (m, e) -> {
        throw e;
    };

    /** Runs one sub-tick after another, recording at which sub-tick each member ran. */
    private static final class Clock {
        final TickSlots<String> slots;
        final Map<String, List<Long>> ranAt = new HashMap<>();
        long subTick;

        Clock(int n) {
            slots = new TickSlots<>(n);
        }

        int next() {
            return (int) (subTick % slots.slots());
        }

        int add(String member) {
            return slots.add(member.intern(), next());          // members are told apart by identity
        }

        void run(int subTicks) {
            for (int i = 0; i < subTicks; i++, subTick++) {
                slots.run(next(), subTick, (m, t) -> ranAt.computeIfAbsent(m, k -> new ArrayList<>()).add(t), RETHROW);
            }
        }

        List<Long> runs(String member) {
            return ranAt.getOrDefault(member, List.of());
        }
    }

    @Test
    void MD9_eachMemberRunsOncePerInterval_atTheSamePhase_andTheSlotsStayEven() {
        Clock c = new Clock(10);
        for (int i = 0; i < 150; i++) {
            c.add("s" + i);
        }
        for (int slot = 0; slot < 10; slot++) {
            assertThat(c.slots.sizeOf(slot)).as("150 in 10 slots").isEqualTo(15);
        }
        c.run(10 * 7);
        for (int i = 0; i < 150; i++) {
            List<Long> runs = c.runs("s" + i);
            assertThat(runs).as("s%d: once per interval", i).hasSize(7);
            for (int k = 1; k < runs.size(); k++) {
                assertThat(runs.get(k) - runs.get(k - 1)).as("s%d: one interval apart", i).isEqualTo(10);
            }
        }
    }

    @Test
    void aMemberJoiningMidIntervalRunsWithinOneInterval_inTheSoonestLeastFilledSlot() {
        Clock c = new Clock(10);
        for (int i = 0; i < 20; i++) {
            c.add("s" + i);                                 // two per slot
        }
        c.run(3);                                            // slot 3 runs next
        assertThat(c.add("late")).as("all equal: the one that runs next").isEqualTo(3);
        assertThat(c.add("later")).as("then the next least filled").isEqualTo(4);
        c.run(10);
        assertThat(c.runs("late")).containsExactly(3L);
        assertThat(c.runs("later")).containsExactly(4L);
        assertThat(c.add("late")).as("added again: no-op, same slot").isEqualTo(3);
        assertThat(c.slots.size()).isEqualTo(22);
    }

    @Test
    void aMemberLeavingMidIntervalRunsNoMore_andTheOthersStillOnce() {
        Clock c = new Clock(10);
        for (int i = 0; i < 30; i++) {
            c.add("s" + i);
        }
        c.run(5);
        int slot = c.slots.slotOf("s7");
        assertThat(c.slots.remove("s7")).isTrue();
        assertThat(c.slots.remove("s7")).as("twice").isFalse();
        assertThat(c.slots.slotOf("s7")).isEqualTo(-1);
        assertThat(c.slots.sizeOf(slot)).isEqualTo(2);
        int before = c.runs("s7").size();
        c.run(25);
        assertThat(c.runs("s7")).as("not after leaving").hasSize(before);
        for (int i = 0; i < 30; i++) {
            if (i != 7) {
                List<Long> runs = c.runs("s" + i);
                assertThat(runs.getLast() - runs.getFirst()).isEqualTo(10L * (runs.size() - 1));
                assertThat(runs).as("s%d in 30 sub-ticks", i).hasSize(3);
            }
        }
        assertThat(c.add("new")).as("the emptied slot is filled first").isEqualTo(slot);
    }

    /** Random joins and leaves between sub-ticks: every member present for a whole interval runs exactly once in it. */
    @Test
    void underChurn_everyMemberPresentForAnIntervalRunsExactlyOnceInIt() {
        Clock c = new Clock(10);
        Random random = new Random(13);
        List<String> present = new ArrayList<>();
        Map<String, Long> joined = new HashMap<>();
        Map<String, Long> left = new HashMap<>();
        int made = 0;
        for (int step = 0; step < 2000; step++) {
            if (random.nextInt(3) > 0 || present.isEmpty()) {
                String m = ("m" + made++).intern();
                c.add(m);
                present.add(m);
                joined.put(m, c.subTick);
            } else {
                String m = present.remove(random.nextInt(present.size()));
                c.slots.remove(m);
                left.put(m, c.subTick);
            }
            c.run(1);
            int min = Integer.MAX_VALUE, max = 0;
            for (int s = 0; s < 10; s++) {
                min = Math.min(min, c.slots.sizeOf(s));
                max = Math.max(max, c.slots.sizeOf(s));
            }
            assertThat(max).as("no slot far ahead of the others (joins fill the least filled)").isLessThanOrEqualTo(min + 40);
        }
        for (String m : joined.keySet()) {
            long from = joined.get(m), to = left.getOrDefault(m, c.subTick);
            List<Long> runs = c.runs(m);
            for (long t : runs) {
                assertThat(t).as("%s only while present", m).isBetween(from, to - 1);
            }
            for (long start = from; start + 10 <= to; start++) {
                long s = start;
                assertThat(runs.stream().filter(t -> t >= s && t < s + 10).count())
                        .as("%s once in sub-ticks [%d, %d)", m, s, s + 10).isEqualTo(1);
            }
        }
    }

    @Test
    void changingTheMembersWhileASlotRunsIsRefused_andAFailingMemberDoesNotStopTheOthers() {
        TickSlots<String> slots = new TickSlots<>(2);
        slots.add("a", 0);
        slots.add("b", 0);
        slots.add("c", 0);
        assertThatThrownBy(() -> slots.run(0, 0, (m, t) -> slots.remove("b"), RETHROW))
                .isInstanceOf(IllegalStateException.class);
        List<String> ran = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        slots.run(0, 0, (m, t) -> {
            ran.add(m);
            if (m.equals("a")) {
                throw new IllegalArgumentException("boom");
            }
        }, (m, e) -> failed.add((String) m));
        assertThat(ran).containsExactlyInAnyOrder("a", "c");
        assertThat(failed).containsExactly("a");
        assertThat(slots.remove("b")).as("changes are taken again after the run").isTrue();
    }

    /** Today's tick iterated a concurrent set (an iterator per tick): a run allocates nothing. Bytes counted, not time. */
    @Test
    void aRunAllocatesNothing() {
        TickSlots<String> slots = new TickSlots<>(10);
        for (int i = 0; i < 150; i++) {
            slots.add("s" + i, 0);
        }
        long[] sum = {0};
        java.util.function.ObjLongConsumer<String> action = (m, t) -> sum[0] += m.length() + t;
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        for (int i = 0; i < 200_000; i++) {
            slots.run(i % 10, i, action, RETHROW);               // warm-up: compiled
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            slots.run(i % 10, i, action, RETHROW);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(allocated).as("bytes over 100,000 runs (%d)", sum[0]).isLessThan(1_000);
    }
}

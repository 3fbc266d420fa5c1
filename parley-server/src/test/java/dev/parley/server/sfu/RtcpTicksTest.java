package dev.parley.server.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue #13, MD9: a loop's RTCP in sub-ticks. Down streams every {@value RtcpTicks#SUB_TICKS}
 * sub-ticks (500 ms), up streams every twice as many (1 s), each at a fixed phase; a sub-tick
 * holds a tenth of the loop's streams; nothing allocated per sub-tick.
 */
class RtcpTicksTest {
    private final UpStream presenter = SfuFixtures.upStream("u", new DownTrackLayerTest.RecordingTransport());
    private final Map<Object, List<Long>> ticked = new IdentityHashMap<>();
    private final RtcpTicks ticks = new RtcpTicks((d, now) -> record(d), (u, now) -> record(u), (s, e) -> {
        throw e;
    });
    private long subTick;

    private void record(Object stream) {
        ticked.computeIfAbsent(stream, k -> new ArrayList<>()).add(subTick);
    }

    private void run(int subTicks) {
        for (int i = 0; i < subTicks; i++, subTick++) {
            ticks.run();
        }
    }

    @Test
    void MD9_downStreamsEveryIntervalAndUpStreamsEveryOther_eachAtAFixedPhase_aTenthPerSubTick() {
        List<DownStream> downs = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            DownStream d = new DownStream(presenter);
            downs.add(d);
            ticks.add(d);
        }
        List<UpStream> ups = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UpStream u = SfuFixtures.upStream("u" + i, new DownTrackLayerTest.RecordingTransport());
            ups.add(u);
            ticks.add(u);
        }
        int n = RtcpTicks.SUB_TICKS;
        int[] perSubTick = new int[6 * n];
        for (int i = 0; i < perSubTick.length; i++) {
            int before = ticked.values().stream().mapToInt(List::size).sum();
            run(1);
            perSubTick[i] = ticked.values().stream().mapToInt(List::size).sum() - before;
        }
        for (int i = 0; i < perSubTick.length; i++) {
            assertThat(perSubTick[i]).as("sub-tick %d: 15 down streams and at most one up stream", i).isBetween(15, 16);
        }
        for (DownStream d : downs) {
            List<Long> at = ticked.get(d);
            assertThat(at).hasSize(6);
            for (int k = 1; k < at.size(); k++) {
                assertThat(at.get(k) - at.get(k - 1)).isEqualTo(n);
            }
        }
        for (UpStream u : ups) {
            List<Long> at = ticked.get(u);
            assertThat(at).hasSize(3);
            for (int k = 1; k < at.size(); k++) {
                assertThat(at.get(k) - at.get(k - 1)).isEqualTo(2L * n);
            }
        }
        assertThat(ticks.stats().subTicks()).isEqualTo(6L * n);
    }

    @Test
    void aStreamAddedMidIntervalIsTickedAtTheNextSubTick_andARemovedOneNoMore() {
        DownStream early = new DownStream(presenter);
        ticks.add(early);
        run(3);
        DownStream late = new DownStream(presenter);
        UpStream up = SfuFixtures.upStream("late", new DownTrackLayerTest.RecordingTransport());
        ticks.add(late);
        ticks.add(up);
        run(1);
        assertThat(ticked.get(late)).as("an empty slot runs next: no wait for the interval").containsExactly(3L);
        assertThat(ticked.get(up)).containsExactly(3L);
        ticks.remove(early);
        ticks.remove(up);
        run(2 * RtcpTicks.SUB_TICKS);
        assertThat(ticked.get(early)).containsExactly(0L);
        assertThat(ticked.get(up)).containsExactly(3L);
        assertThat(ticked.get(late)).containsExactly(3L, 13L, 23L);
        assertThat(ticks.downStreams()).isEqualTo(1);
        assertThat(ticks.upStreams()).isZero();
    }

    /** The old tick iterated two concurrent sets per loop (iterators); a sub-tick, its timing included, allocates nothing. */
    @Test
    void aSubTickAllocatesNothing() {
        long[] sum = {0};
        RtcpTicks quiet = new RtcpTicks((d, now) -> sum[0] += now, (u, now) -> sum[0] -= now, (s, e) -> {
            throw e;
        });
        for (int i = 0; i < 150; i++) {
            quiet.add(new DownStream(presenter));
        }
        quiet.add(presenter);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        for (int i = 0; i < 50_000; i++) {
            quiet.run();                                     // warm-up: compiled
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 20_000; i++) {
            quiet.run();
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(allocated).as("bytes over 20,000 sub-ticks (%d)", sum[0]).isLessThan(1_000);
        assertThat(quiet.stats().longestCpuNanos()).isPositive();
    }
}

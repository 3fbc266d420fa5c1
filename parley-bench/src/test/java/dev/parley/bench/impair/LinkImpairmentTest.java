package dev.parley.bench.impair;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkImpairmentTest {
    private static final long MS = 1_000_000L;

    private static byte[] datagram(int id, int len) {
        byte[] b = new byte[len];
        b[0] = (byte) id;
        b[1] = (byte) (id >> 8);
        return b;
    }

    private static int id(byte[] b) {
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
    }

    @Test
    void randomLossDropsTheConfiguredFractionReproduciblyForASeed() {
        ImpairmentCounters c = new ImpairmentCounters();
        LinkImpairment link = new LinkImpairment(new ImpairmentProfile(0.25, 5, 0, 0, 100), 42, c);
        LinkImpairment same = new LinkImpairment(new ImpairmentProfile(0.25, 5, 0, 0, 100), 42, new ImpairmentCounters());
        byte[] b = datagram(1, 100);
        int delivered = 0;
        for (int i = 0; i < 20_000; i++) {
            LinkImpairment.Fate f = link.offer(b, 100, i * MS);
            assertThat(same.offer(b, 100, i * MS)).isEqualTo(f);
            if (f == LinkImpairment.Fate.DELIVER_NOW) {
                delivered++;
            }
        }
        assertThat(c.arrived()).isEqualTo(20_000);
        assertThat(c.lost()).isEqualTo(20_000 - delivered);
        assertThat(c.lost() / 20_000.0).isBetween(0.045, 0.055);
        assertThat(c.queueDrops()).isZero();
    }

    @Test
    void delayedDatagramsLeaveInArrivalOrderOnceDue() {
        LinkImpairment link = new LinkImpairment(new ImpairmentProfile(0.5, 0, 50, 0, 100), 1, new ImpairmentCounters());
        for (int i = 0; i < 10; i++) {
            assertThat(link.offer(datagram(i, 200), 200, i * MS)).isEqualTo(LinkImpairment.Fate.QUEUED);
        }
        byte[] out = new byte[2048];
        assertThat(link.poll(49 * MS, out)).isEqualTo(-1);          // nothing before 50 ms
        assertThat(link.nextRelease()).isEqualTo(50 * MS);
        List<Integer> ids = new ArrayList<>();
        for (int n; (n = link.poll(54 * MS, out)) >= 0; ) {
            assertThat(n).isEqualTo(200);
            ids.add(id(out));
        }
        assertThat(ids).containsExactly(0, 1, 2, 3, 4);             // those sent by 4 ms, in order
        for (int n; (n = link.poll(100 * MS, out)) >= 0; ) {
            ids.add(id(out));
        }
        assertThat(ids).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(link.nextRelease()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void tokenBucketPacesABurstAtTheRateAndDropsTheTailWhenTheQueueIsFull() {
        // 80 kbit/s = 10 bytes per ms: a 1000-byte datagram takes 100 ms; the queue holds 300 ms
        ImpairmentCounters c = new ImpairmentCounters();
        LinkImpairment link = new LinkImpairment(new ImpairmentProfile(0.5, 0, 0, 80_000, 300), 1, c);
        List<LinkImpairment.Fate> fates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fates.add(link.offer(datagram(i, 1000), 1000, 0));       // a burst at t = 0
        }
        // a full bucket (1600 bytes: one largest datagram, more than 5 ms at this rate) lets the first
        // through; three wait (until 40, 140, 240 ms); the rest would wait longer than the queue holds
        assertThat(fates).containsExactly(LinkImpairment.Fate.DELIVER_NOW, LinkImpairment.Fate.QUEUED,
                LinkImpairment.Fate.QUEUED, LinkImpairment.Fate.QUEUED, LinkImpairment.Fate.QUEUE_FULL,
                LinkImpairment.Fate.QUEUE_FULL);
        assertThat(c.queueDrops()).isEqualTo(2);
        byte[] out = new byte[2048];
        long[] due = new long[3];
        for (int k = 0; k < 3; k++) {
            due[k] = link.nextRelease();
            assertThat(link.poll(due[k], out)).isEqualTo(1000);
            assertThat(id(out)).isEqualTo(k + 1);
        }
        assertThat(due[1] - due[0]).isEqualTo(100 * MS);
        assertThat(due[2] - due[1]).isEqualTo(100 * MS);
        // after the queue drained and the bucket refilled, a datagram passes at once again
        assertThat(link.offer(datagram(9, 1000), 1000, 2_000 * MS)).isEqualTo(LinkImpairment.Fate.DELIVER_NOW);
    }

    @Test
    void aDatagramBehindQueuedOnesWaitsEvenIfItCouldGoAtOnce() {
        // rate and delay together: the delay is added after the bottleneck
        LinkImpairment link = new LinkImpairment(new ImpairmentProfile(0.5, 0, 20, 800_000, 100), 1,
                new ImpairmentCounters());
        assertThat(link.offer(datagram(1, 1000), 1000, 0)).isEqualTo(LinkImpairment.Fate.QUEUED);
        assertThat(link.nextRelease()).isEqualTo(20 * MS);
        assertThat(link.offer(datagram(2, 1000), 1000, 0)).isEqualTo(LinkImpairment.Fate.QUEUED);
        byte[] out = new byte[2048];
        link.poll(20 * MS, out);
        assertThat(link.nextRelease()).isGreaterThan(20 * MS);
    }
}

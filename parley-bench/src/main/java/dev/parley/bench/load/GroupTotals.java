package dev.parley.bench.load;

/**
 * Counts of one receiver group, totals at a moment or (after {@link #minus}) over a window.
 * Loss before repair is the sequence numbers found missing when a later packet arrived; loss after
 * repair those still missing (never received, NACK and retransmission notwithstanding).
 */
public record GroupTotals(
        String label,
        boolean impaired,
        int subscriptions,
        long expected,
        long received,
        long missedOnArrival,
        long linkArrived,
        long linkLost,
        long linkQueueDrops,
        long nacks,
        long plis,
        long framesShown,
        long freezes,
        long frozenNanos) {

    public GroupTotals minus(GroupTotals before) {
        return new GroupTotals(label, impaired, subscriptions, expected - before.expected, received - before.received,
                missedOnArrival - before.missedOnArrival, linkArrived - before.linkArrived, linkLost - before.linkLost,
                linkQueueDrops - before.linkQueueDrops, nacks - before.nacks, plis - before.plis,
                framesShown - before.framesShown, freezes - before.freezes, frozenNanos - before.frozenNanos);
    }

    public double lossBeforeRepairPercent() {
        return percent(missedOnArrival);
    }

    public double lossAfterRepairPercent() {
        return percent(Math.max(0, expected - received));
    }

    private double percent(long n) {
        return expected <= 0 ? 0 : 100.0 * n / expected;
    }
}

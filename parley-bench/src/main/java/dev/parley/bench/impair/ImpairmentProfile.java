package dev.parley.bench.impair;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the network towards one group of subscribers misbehaves: a share of the subscribers, random
 * loss, a fixed extra delay, and a bottleneck rate (token bucket) with a drop-tail queue. Zero means
 * "not impaired in this way".
 *
 * @param share          fraction (0..1) of the participants that are in this group
 * @param lossPercent    probability (percent) that a datagram from the server is lost
 * @param delayMillis    extra one-way delay added to every datagram from the server
 * @param rateBitsPerSecond bottleneck rate (0: unlimited)
 * @param queueMillis    the bottleneck's queue, as the time it takes to drain a full one at the rate
 */
public record ImpairmentProfile(double share, double lossPercent, long delayMillis, long rateBitsPerSecond,
        long queueMillis) {
    /** A bottleneck queue of 100 ms: a small home router's buffer at that rate. */
    public static final long DEFAULT_QUEUE_MILLIS = 100;

    public ImpairmentProfile {
        if (share <= 0 || share > 1) {
            throw new IllegalArgumentException("a group's share must be in (0, 100] %");
        }
        if (lossPercent < 0 || lossPercent > 100 || delayMillis < 0 || rateBitsPerSecond < 0 || queueMillis < 0) {
            throw new IllegalArgumentException("loss must be 0..100 %, delay, rate and queue not negative");
        }
    }

    /** Short label for tables, e.g. {@code 25% loss=5% delay=50ms}. */
    public String describe() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.0f%%", share * 100));
        if (lossPercent > 0) {
            s.append(String.format(Locale.ROOT, " loss=%s%%", trim(lossPercent)));
        }
        if (delayMillis > 0) {
            s.append(" delay=").append(delayMillis).append("ms");
        }
        if (rateBitsPerSecond > 0) {
            s.append(" rate=").append(rateBitsPerSecond / 1000).append("k queue=").append(queueMillis).append("ms");
        }
        return s.toString();
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * Parses {@code group=25%:loss=5,delay=50ms;group=25%:rate=300k,queue=50ms}: groups separated by
     * {@code ;}, each a share then its impairments. Units: loss in percent, delay and queue in ms
     * ({@code ms} optional, {@code s} allowed), rate in bit/s with optional {@code k} or {@code m}.
     */
    public static List<ImpairmentProfile> parseAll(String spec) {
        List<ImpairmentProfile> out = new ArrayList<>();
        double total = 0;
        for (String group : spec.split(";")) {
            if (group.isBlank()) {
                continue;
            }
            ImpairmentProfile p = parse(group.trim());
            total += p.share();
            out.add(p);
        }
        if (total > 1 + 1e-9) {
            throw new IllegalArgumentException("--impair: the groups' shares add up to more than 100 %: " + spec);
        }
        return out;
    }

    static ImpairmentProfile parse(String group) {
        int colon = group.indexOf(':');
        String head = colon < 0 ? group : group.substring(0, colon);
        if (!head.startsWith("group=") || !head.endsWith("%")) {
            throw new IllegalArgumentException("--impair: a group starts with group=<share>%, not " + head);
        }
        double share = number(head.substring(6, head.length() - 1), head) / 100;
        double loss = 0;
        long delay = 0, rate = 0, queue = DEFAULT_QUEUE_MILLIS;
        if (colon >= 0) {
            for (String kv : group.substring(colon + 1).split(",")) {
                String[] p = kv.trim().split("=", 2);
                if (p.length != 2) {
                    throw new IllegalArgumentException("--impair: expected name=value, not " + kv);
                }
                String v = p[1].trim().toLowerCase(Locale.ROOT);
                switch (p[0].trim()) {
                    case "loss" -> loss = number(v.endsWith("%") ? v.substring(0, v.length() - 1) : v, kv);
                    case "delay" -> delay = millis(v, kv);
                    case "queue" -> queue = millis(v, kv);
                    case "rate" -> rate = bits(v, kv);
                    default -> throw new IllegalArgumentException("--impair: unknown impairment " + p[0]
                            + " (loss, delay, rate, queue)");
                }
            }
        }
        if (loss == 0 && delay == 0 && rate == 0) {
            throw new IllegalArgumentException("--impair: group " + group + " has no impairment");
        }
        return new ImpairmentProfile(share, loss, delay, rate, queue);
    }

    private static long millis(String v, String context) {
        if (v.endsWith("ms")) {
            return (long) number(v.substring(0, v.length() - 2), context);
        }
        if (v.endsWith("s")) {
            return (long) (number(v.substring(0, v.length() - 1), context) * 1000);
        }
        return (long) number(v, context);
    }

    private static long bits(String v, String context) {
        long unit = v.endsWith("k") ? 1000 : v.endsWith("m") ? 1_000_000 : 1;
        String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
        return (long) (number(digits, context) * unit);
    }

    private static double number(String v, String context) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--impair: not a number in " + context);
        }
    }
}

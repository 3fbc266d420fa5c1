package dev.parley.bench.media;

/**
 * How a publisher's video packets leave it: spread by a libwebrtc-like pacer, or each frame's
 * packets back to back as soon as the frame exists ({@link #BURST}, the generator's behaviour
 * before pacing was added).
 *
 * <p>The pacer is libwebrtc's {@code PacingController} in the form it has today: the pacing rate
 * is {@code factor} × the video's target bitrate, each packet sent adds its size to a "media
 * debt" that drains at the pacing rate, and a packet may go while the debt would drain in less
 * than {@code burstMillis} (libwebrtc's send burst interval, capped at 63,000 bytes of debt as
 * its {@code kMaxBurstSize}); once it would not, the next packet waits until the debt has drained
 * entirely. Defaults, read in libwebrtc's source: factor 2.5 ({@code kDefaultPaceMultiplier},
 * receive-side estimation, which is what this generator's offer negotiates by default: REMB, no
 * transport-cc; with transport-cc, which it offers with {@code --transport-cc}, libwebrtc uses
 * {@code kStrictPacingMultiplier} 1.1) and a burst
 * interval of 40 ms ({@code PacerConfig::kDefaultTimeInterval}). Audio is not paced, as in
 * libwebrtc by default. See parley-bench/README.md for where each figure comes from.
 *
 * @param burstMillis 0 paces every packet (the next one only when the debt is zero)
 */
public record Pacing(boolean paced, double factor, double burstMillis) {
    public static final double LIBWEBRTC_FACTOR = 2.5;
    /** libwebrtc's factor when transport-cc is negotiated ({@code kStrictPacingMultiplier}): the default with --transport-cc. */
    public static final double LIBWEBRTC_TRANSPORT_CC_FACTOR = 1.1;
    public static final double LIBWEBRTC_BURST_MILLIS = 40;
    /** libwebrtc's cap on the debt a burst may build up (PacingController::kMaxBurstSize). */
    public static final int MAX_BURST_BYTES = 63_000;

    /** A libwebrtc publisher negotiating REMB, as this generator does. */
    public static final Pacing LIBWEBRTC = new Pacing(true, LIBWEBRTC_FACTOR, LIBWEBRTC_BURST_MILLIS);
    /** Every frame's packets back to back (no pacer). */
    public static final Pacing BURST = new Pacing(false, 0, 0);

    public Pacing {
        if (paced && !(factor > 0)) {
            throw new IllegalArgumentException("the pacing factor must be positive, not " + factor);
        }
        if (paced && !(burstMillis >= 0)) {
            throw new IllegalArgumentException("the pacing burst interval must be 0 or more ms, not " + burstMillis);
        }
    }

    public static Pacing libwebrtc(double factor, double burstMillis) {
        return new Pacing(true, factor, burstMillis);
    }

    /** For reports: what the publishers do. */
    public String describe() {
        if (!paced) {
            return "each frame's packets back to back (--burst)";
        }
        return "paced like libwebrtc: " + trim(factor) + " × the video bitrate, bursts of up to " + trim(burstMillis)
                + " ms of that rate";
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}

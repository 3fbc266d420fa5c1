package dev.parley.rtc.rtcp;

/**
 * Callbacks of {@link RtcpReader}. All methods default to doing nothing; implement those you need.
 * SSRCs, NTP times and counters are unsigned values carried in {@code long}s. Byte-array arguments
 * point into the caller's packet buffer and are only valid during the call.
 */
public interface RtcpHandler {

    /** Sender report header (RFC 3550 §6.4.1); its report blocks follow as {@link #onReceptionReport}. */
    default void onSenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount,
            long octetCount) {
    }

    /** Receiver report header; its report blocks follow as {@link #onReceptionReport}. */
    default void onReceiverReport(long ssrc) {
    }

    /**
     * One report block of an SR or RR.
     *
     * @param fractionLost    0..255, loss since the previous report in 1/256
     * @param cumulativeLost  signed 24-bit total
     * @param lastSr          middle 32 bits of the NTP time of the last SR received (LSR)
     * @param delaySinceLastSr DLSR in units of 1/65536 s
     */
    default void onReceptionReport(long reporterSsrc, long sourceSsrc, int fractionLost, int cumulativeLost,
            long extendedHighestSeq, long jitter, long lastSr, long delaySinceLastSr) {
    }

    /** SDES CNAME item: {@code buf[off, off+len)} holds the (UTF-8) name. */
    default void onSdesCname(long ssrc, byte[] buf, int off, int len) {
    }

    default void onBye(long ssrc) {
    }

    /** One generic NACK FCI entry (RFC 4585 §6.2.1): lost {@code pid} and bitmask {@code blp}. */
    default void onNack(long senderSsrc, long mediaSsrc, int pid, int blp) {
    }

    default void onPli(long senderSsrc, long mediaSsrc) {
    }

    /** One FIR FCI entry (RFC 5104 §4.3.1): the SSRC asked for a keyframe and the request seq nr. */
    default void onFir(long senderSsrc, long targetSsrc, int sequenceNumber) {
    }

    /**
     * REMB (draft-alvestrand-rmcat-remb). The {@code ssrcCount} SSRCs it applies to are at
     * {@code buf[ssrcOff + 4*i]}; read them with {@link RtcpReader#ssrcAt}.
     */
    default void onRemb(long senderSsrc, long bitrateBps, byte[] buf, int ssrcOff, int ssrcCount) {
    }

    /**
     * Transport feedback (RTPFB FMT=15): the whole packet, header included and padding
     * excluded, at {@code buf[off, off+len)}; read it with a {@link TransportFeedbackReader}.
     */
    default void onTransportFeedback(long senderSsrc, long mediaSsrc, byte[] buf, int off, int len) {
    }

    /** Any other packet (XR, APP, ...), skipped. {@code fmt} is the count/FMT field. */
    default void onOther(int packetType, int fmt, byte[] buf, int off, int len) {
    }
}

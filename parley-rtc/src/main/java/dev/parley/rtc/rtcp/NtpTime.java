package dev.parley.rtc.rtcp;

/** 64-bit NTP timestamps (RFC 5905: seconds since 1900 in the high word, fraction in the low). */
public final class NtpTime {
    /** Seconds between 1900-01-01 and 1970-01-01. */
    public static final long UNIX_EPOCH_OFFSET = 2_208_988_800L;

    private NtpTime() {
    }

    /** NTP timestamp of a wall-clock time given in nanoseconds since the Unix epoch. */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, 1_000_000_000L);
        long nanos = Math.floorMod(unixNanos, 1_000_000_000L);
        long fraction = (nanos << 32) / 1_000_000_000L;
        return ((seconds + UNIX_EPOCH_OFFSET) << 32) | fraction;
    }

    public static long toUnixNanos(long ntp) {
        long seconds = (ntp >>> 32) - UNIX_EPOCH_OFFSET;
        long nanos = ((ntp & 0xFFFF_FFFFL) * 1_000_000_000L) >>> 32;
        return seconds * 1_000_000_000L + nanos;
    }

    /** The middle 32 bits, as carried in LSR fields of report blocks. */
    public static long middle32(long ntp) {
        return (ntp >>> 16) & 0xFFFF_FFFFL;
    }

    /**
     * Round-trip time from a report block about our stream (RFC 3550 §6.4.1): arrival time minus
     * LSR minus DLSR, all in 1/65536 s.
     *
     * @param nowNtp  NTP time when the report arrived
     * @return RTT in milliseconds, or -1 if the block has no LSR or the result is negative
     */
    public static long roundTripMillis(long nowNtp, long lastSr, long delaySinceLastSr) {
        if (lastSr == 0) {
            return -1;
        }
        long rtt = (middle32(nowNtp) - lastSr - delaySinceLastSr) & 0xFFFF_FFFFL;
        if (rtt >= 0x8000_0000L) {
            return -1; // negative: clocks or report are inconsistent
        }
        return rtt * 1000 / 65536;
    }
}

package dev.parley.rtc.transport;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link UdpMux}. Incremented on its media loops, readable from any thread.
 * Every dropped datagram is counted under exactly one reason. The per-packet ones are
 * {@link LongAdder}s: every loop increments them, and one shared cache line would bounce
 * between the cores for every packet.
 */
public final class MuxCounters {
    final LongAdder datagramsReceived = new LongAdder();
    final LongAdder truncated = new LongAdder();
    final AtomicLong unknownTuple = new AtomicLong();
    final AtomicLong unclassified = new AtomicLong();
    final AtomicLong stunMalformed = new AtomicLong();
    final AtomicLong stunUnknownUfrag = new AtomicLong();
    final AtomicLong stunRejected = new AtomicLong();
    final AtomicLong stunResponsesSent = new AtomicLong();
    final AtomicLong dtlsDropped = new AtomicLong();
    final AtomicLong srtpBeforeKeys = new AtomicLong();
    final AtomicLong srtpMalformed = new AtomicLong();
    final AtomicLong srtpAuthFailed = new AtomicLong();
    final AtomicLong srtpReplayed = new AtomicLong();
    final LongAdder rtpDelivered = new LongAdder();
    final LongAdder rtcpDelivered = new LongAdder();
    final AtomicLong handlerErrors = new AtomicLong();
    final LongAdder relayed = new LongAdder();
    final LongAdder handedOff = new LongAdder();
    final LongAdder handoffDropped = new LongAdder();
    final AtomicLong handshakeTimeouts = new AtomicLong();
    final AtomicLong dtlsFailures = new AtomicLong();
    final AtomicLong consentExpirations = new AtomicLong();
    final LongAdder datagramsSent = new LongAdder();
    final LongAdder sendFailed = new LongAdder();

    public long datagramsReceived() { return datagramsReceived.sum(); }
    /** Datagrams larger than the largest we serve ({@code MAX_DATAGRAM}): cut by the kernel, dropped. */
    public long truncated() { return truncated.sum(); }
    /** Non-STUN datagrams from a tuple no valid ICE check has come from. */
    public long unknownTuple() { return unknownTuple.get(); }
    /** First byte outside the RFC 7983 ranges we serve. */
    public long unclassified() { return unclassified.get(); }
    /** STUN-looking datagrams that do not parse. */
    public long stunMalformed() { return stunMalformed.get(); }
    /** Binding requests from an unknown tuple whose USERNAME names no transport. */
    public long stunUnknownUfrag() { return stunUnknownUfrag.get(); }
    /** STUN messages rejected by a transport: wrong USERNAME, MESSAGE-INTEGRITY or FINGERPRINT. */
    public long stunRejected() { return stunRejected.get(); }
    public long stunResponsesSent() { return stunResponsesSent.get(); }
    /** DTLS datagrams not accepted (session failed/closed, queue full, oversized). */
    public long dtlsDropped() { return dtlsDropped.get(); }
    /** SRTP/SRTCP before DTLS produced keys. */
    public long srtpBeforeKeys() { return srtpBeforeKeys.get(); }
    public long srtpMalformed() { return srtpMalformed.get(); }
    public long srtpAuthFailed() { return srtpAuthFailed.get(); }
    public long srtpReplayed() { return srtpReplayed.get(); }
    public long rtpDelivered() { return rtpDelivered.sum(); }
    public long rtcpDelivered() { return rtcpDelivered.sum(); }
    /** Exceptions thrown while handling a datagram (normally by a listener); the datagram is lost. */
    public long handlerErrors() { return handlerErrors.get(); }

    /**
     * Datagrams received by one media loop for a transport another loop owns, and copied to it
     * (the kernel's SO_REUSEPORT hash picked another socket than the owner's, e.g. after an ICE
     * restart to a new tuple).
     */
    public long relayed() { return relayed.sum(); }
    /** Packets copied from one media loop to another (relayed datagrams and cross-loop forwarding). */
    public long handedOff() { return handedOff.sum(); }
    /** Packets not handed to another loop because its queue from this loop was full: lost. */
    public long handoffDropped() { return handoffDropped.sum(); }
    /** Transports that did not complete ICE and DTLS within the handshake timeout (then dead). */
    public long handshakeTimeouts() { return handshakeTimeouts.get(); }
    /** DTLS handshakes or sessions that failed (bad fingerprint, alert, protocol error; then dead). */
    public long dtlsFailures() { return dtlsFailures.get(); }
    /** Connected transports whose ICE consent expired (recoverable by an ICE restart). */
    public long consentExpirations() { return consentExpirations.get(); }

    /** SRTP/SRTCP datagrams written by the loops' sendmmsg batches. */
    public long datagramsSent() { return datagramsSent.sum(); }
    /** Datagrams the kernel refused in a sendmmsg batch (e.g. a full send buffer): lost. */
    public long sendFailed() { return sendFailed.sum(); }

    /** Sum of every drop reason. */
    public long dropped() {
        return truncated.sum() + unknownTuple.get() + unclassified.get() + stunMalformed.get() + stunUnknownUfrag.get()
                + stunRejected.get() + dtlsDropped.get() + srtpBeforeKeys.get() + srtpMalformed.get()
                + srtpAuthFailed.get() + srtpReplayed.get() + handoffDropped.sum();
    }

    @Override
    public String toString() {
        return "MuxCounters[received=" + datagramsReceived() + ", truncated=" + truncated() + ", unknownTuple=" + unknownTuple()
                + ", unclassified=" + unclassified() + ", stunMalformed=" + stunMalformed()
                + ", stunUnknownUfrag=" + stunUnknownUfrag() + ", stunRejected=" + stunRejected()
                + ", dtlsDropped=" + dtlsDropped() + ", srtpBeforeKeys=" + srtpBeforeKeys()
                + ", srtpMalformed=" + srtpMalformed() + ", srtpAuthFailed=" + srtpAuthFailed()
                + ", srtpReplayed=" + srtpReplayed() + ", handlerErrors=" + handlerErrors() + ", rtp=" + rtpDelivered() + ", rtcp=" + rtcpDelivered()
                + ", relayed=" + relayed() + ", handedOff=" + handedOff() + ", handoffDropped=" + handoffDropped()
                + ", sent=" + datagramsSent() + ", sendFailed=" + sendFailed() + "]";
    }
}

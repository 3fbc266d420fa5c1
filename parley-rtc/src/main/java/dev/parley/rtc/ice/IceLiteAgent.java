package dev.parley.rtc.ice;

import dev.parley.rtc.stun.Stun;
import dev.parley.rtc.stun.StunIntegrity;
import dev.parley.rtc.stun.StunMessage;
import dev.parley.rtc.stun.StunWriter;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * The ICE-lite side of one transport (RFC 8445 §2.5): never sends checks, answers the peer's Binding
 * requests, lets the peer (always controlling) nominate, and tracks consent freshness (RFC 7675).
 *
 * <p>ICE restart is make-before-break: after {@link #restart(String)} both the old and the new credentials
 * are accepted, until the first valid check with the new ones; then the old ones are forgotten.
 *
 * <p>Thread-safe: {@link #check} and {@link #writeSuccess} normally run on the I/O thread, restarts and
 * remote parameters may come from a signalling thread.
 */
public final class IceLiteAgent {
    /** {@link #check} results. */
    public static final int VALID = 0;
    public static final int NOT_A_REQUEST = 1;
    public static final int BAD_USERNAME = 2;
    public static final int BAD_INTEGRITY = 3;
    public static final int BAD_FINGERPRINT = 4;

    public static final long DEFAULT_CONSENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** One generation of credentials, with the remote ufrag that goes with it (null = any). */
    private static final class Keyed {
        final IceCredentials credentials;
        final byte[] ufrag;
        final byte[] remoteUfrag;
        final StunIntegrity integrity;

        Keyed(IceCredentials c, String remoteUfrag) {
            credentials = c;
            ufrag = c.ufrag().getBytes(StandardCharsets.UTF_8);
            this.remoteUfrag = remoteUfrag == null ? null : remoteUfrag.getBytes(StandardCharsets.UTF_8);
            integrity = StunIntegrity.shortTerm(c.password());
        }
    }

    private Keyed current;
    private Keyed previous;
    private final CRC32 crc = new CRC32();
    private final StunWriter writer = new StunWriter();
    private Keyed matched;
    private boolean restartCompleted;
    private long lastConsentNanos;
    private boolean everChecked;

    public IceLiteAgent(IceCredentials local) {
        this.current = new Keyed(local, null);
    }

    public synchronized IceCredentials localCredentials() {
        return current.credentials;
    }

    /** Credentials from before the last restart, still accepted; null when none. */
    public synchronized IceCredentials previousCredentials() {
        return previous == null ? null : previous.credentials;
    }

    /**
     * The remote ufrag from SDP for the current credentials; when set, USERNAME must be exactly
     * {@code localUfrag:remoteUfrag}. Null accepts any remote ufrag.
     */
    public synchronized void setRemoteUfrag(String ufrag) {
        current = new Keyed(current.credentials, ufrag);
    }

    /**
     * New local credentials, paired with the peer's new ufrag (null = any); the old ones stay valid
     * until a check with the new ones succeeds.
     */
    public synchronized IceCredentials restart(String newRemoteUfrag) {
        previous = current;
        current = new Keyed(IceCredentials.random(), newRemoteUfrag);
        return current.credentials;
    }

    /**
     * Validates a Binding request: USERNAME {@code local:remote}, MESSAGE-INTEGRITY with the local
     * password, FINGERPRINT when present. Returns {@link #VALID} or the reason for rejection.
     */
    public synchronized int check(StunMessage m) {
        matched = null;
        restartCompleted = false;
        if (!m.isBindingRequest()) return NOT_A_REQUEST;
        if (m.hasFingerprint() && !StunIntegrity.verifyFingerprint(m, crc)) return BAD_FINGERPRINT;
        Keyed k = current;
        Keyed p = previous;
        Keyed candidate = usernameMatches(m, k) ? k : (p != null && usernameMatches(m, p)) ? p : null;
        if (candidate == null) return BAD_USERNAME;
        if (!candidate.integrity.verify(m)) return BAD_INTEGRITY;
        matched = candidate;
        if (candidate == k && p != null) {
            previous = null;
            restartCompleted = true;
        }
        return VALID;
    }

    private static boolean usernameMatches(StunMessage m, Keyed k) {
        if (!m.usernameStartsWith(k.ufrag)) return false;
        byte[] r = k.remoteUfrag;
        if (r == null) return true;
        int rest = m.usernameOffset() + k.ufrag.length + 1;
        return m.usernameLength() - k.ufrag.length - 1 == r.length
                && java.util.Arrays.equals(m.buffer(), rest, rest + r.length, r, 0, r.length);
    }

    /** After a VALID check: true if it was the first with the credentials made by {@link #restart(String)}. */
    public synchronized boolean restartCompleted() {
        return restartCompleted;
    }

    /** After a VALID check: the ufrag it matched. */
    public synchronized String matchedUfrag() {
        return matched == null ? null : matched.credentials.ufrag();
    }

    /** Records a valid check for consent freshness. */
    public synchronized void consentRefreshed(long nowNanos) {
        lastConsentNanos = nowNanos;
        everChecked = true;
    }

    /** True when checks had been received but none for longer than {@code timeoutNanos}. */
    public synchronized boolean consentExpired(long nowNanos, long timeoutNanos) {
        return everChecked && nowNanos - lastConsentNanos > timeoutNanos;
    }

    /**
     * Writes the success response to the request last {@link #check}ed VALID: XOR-MAPPED-ADDRESS of
     * {@code from}, MESSAGE-INTEGRITY with the matched password, FINGERPRINT. Returns its length.
     */
    public synchronized int writeSuccess(StunMessage request, InetSocketAddress from, byte[] out, int off) {
        if (matched == null) throw new IllegalStateException("no valid check to answer");
        writer.start(out, off, Stun.BINDING_SUCCESS, request.buffer(), request.transactionIdOffset());
        if (from.getAddress() instanceof Inet4Address a) {
            byte[] b = a.getAddress();
            writer.xorMappedIpv4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF), from.getPort());
        } else {
            writer.xorMappedAddress(from.getAddress(), from.getPort());
        }
        return writer.messageIntegrity(matched.integrity).fingerprint();
    }
}

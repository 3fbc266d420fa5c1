package dev.parley.rtc.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

import static dev.parley.rtc.stun.Stun.*;

/**
 * A reusable, read-only view over one STUN message in a caller's buffer.
 *
 * <p>{@link #parse} validates the framing and records where each attribute ICE cares about lives;
 * values are decoded lazily from the buffer, so parsing allocates nothing. The view is valid only as
 * long as the buffer is not modified. Not thread-safe: one instance per I/O thread.
 */
public final class StunMessage {
    private byte[] buf;
    private int off;
    private int len;
    private int type;

    private int usernameOff, usernameLen;
    private int softwareOff, softwareLen;
    private int integrityAttrOff;   // offset of the MESSAGE-INTEGRITY attribute header, or -1
    private int fingerprintAttrOff; // offset of the FINGERPRINT attribute header, or -1
    private long priority;          // -1 when absent
    private boolean useCandidate;
    private boolean hasControlling, hasControlled;
    private long tieBreaker;
    private int errorCode;          // -1 when absent
    private int errorReasonOff, errorReasonLen;
    private int xorFamily;          // 0 when absent
    private int xorPort;
    private int xorAddrOff;         // offset of the (still xor'd) address bytes
    private int unknownRequiredAttribute; // first comprehension-required attribute we do not know, or -1

    /**
     * Parses {@code len} bytes at {@code off} as one STUN message.
     *
     * @throws StunFormatException if the bytes are not a well-formed STUN message
     */
    public StunMessage parse(byte[] buf, int off, int len) {
        reset();
        if (buf == null || off < 0 || len < 0 || off + len > buf.length) {
            throw new StunFormatException("bad buffer bounds");
        }
        if (len < HEADER_LENGTH) throw new StunFormatException("shorter than a STUN header: " + len);
        if ((buf[off] & 0xC0) != 0) throw new StunFormatException("first two bits are not zero");
        if (readInt(buf, off + 4) != MAGIC_COOKIE) throw new StunFormatException("no magic cookie");
        int bodyLen = readShort(buf, off + 2);
        if ((bodyLen & 3) != 0) throw new StunFormatException("message length not a multiple of 4: " + bodyLen);
        if (HEADER_LENGTH + bodyLen != len) {
            throw new StunFormatException("message length " + bodyLen + " does not match datagram " + len);
        }
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.type = readShort(buf, off);

        int p = off + HEADER_LENGTH;
        int end = off + len;
        while (p < end) {
            if (end - p < 4) throw new StunFormatException("truncated attribute header");
            int at = readShort(buf, p);
            int alen = readShort(buf, p + 2);
            int v = p + 4;
            int padded = (alen + 3) & ~3;
            if (padded > end - v) throw new StunFormatException("attribute 0x" + Integer.toHexString(at) + " overruns message");
            if (fingerprintAttrOff >= 0) throw new StunFormatException("attribute after FINGERPRINT");
            if (integrityAttrOff >= 0 && at != ATTR_FINGERPRINT) {
                p = v + padded; // RFC 5389 §15.4: attributes after MESSAGE-INTEGRITY are ignored
                continue;
            }
            switch (at) {
                case ATTR_USERNAME -> { if (usernameOff < 0) { usernameOff = v; usernameLen = alen; } }
                case ATTR_SOFTWARE -> { if (softwareOff < 0) { softwareOff = v; softwareLen = alen; } }
                case ATTR_MESSAGE_INTEGRITY -> {
                    if (alen != MESSAGE_INTEGRITY_LENGTH) throw new StunFormatException("MESSAGE-INTEGRITY length " + alen);
                    integrityAttrOff = p;
                }
                case ATTR_FINGERPRINT -> {
                    if (alen != 4) throw new StunFormatException("FINGERPRINT length " + alen);
                    fingerprintAttrOff = p;
                }
                case ATTR_PRIORITY -> {
                    if (alen != 4) throw new StunFormatException("PRIORITY length " + alen);
                    if (priority < 0) priority = readInt(buf, v) & 0xFFFFFFFFL;
                }
                case ATTR_USE_CANDIDATE -> {
                    if (alen != 0) throw new StunFormatException("USE-CANDIDATE length " + alen);
                    useCandidate = true;
                }
                case ATTR_ICE_CONTROLLING, ATTR_ICE_CONTROLLED -> {
                    if (alen != 8) throw new StunFormatException("ICE-CONTROLLING/CONTROLLED length " + alen);
                    if (!hasControlling && !hasControlled) {
                        tieBreaker = ((long) readInt(buf, v) << 32) | (readInt(buf, v + 4) & 0xFFFFFFFFL);
                        if (at == ATTR_ICE_CONTROLLING) hasControlling = true; else hasControlled = true;
                    }
                }
                case ATTR_ERROR_CODE -> {
                    if (alen < 4) throw new StunFormatException("ERROR-CODE length " + alen);
                    if (errorCode < 0) {
                        int cls = buf[v + 2] & 0x07;
                        int num = buf[v + 3] & 0xFF;
                        if (cls < 3 || cls > 6 || num > 99) throw new StunFormatException("ERROR-CODE out of range");
                        errorCode = cls * 100 + num;
                        errorReasonOff = v + 4;
                        errorReasonLen = alen - 4;
                    }
                }
                case ATTR_XOR_MAPPED_ADDRESS -> { if (xorFamily == 0) parseXorAddress(v, alen); }
                default -> {
                    if (at < 0x8000 && unknownRequiredAttribute < 0 && !isKnownIgnorable(at)) {
                        unknownRequiredAttribute = at;
                    }
                }
            }
            p = v + padded;
        }
        return this;
    }

    private static boolean isKnownIgnorable(int at) {
        return at == ATTR_MAPPED_ADDRESS || at == ATTR_REALM || at == ATTR_NONCE || at == ATTR_UNKNOWN_ATTRIBUTES;
    }

    private void parseXorAddress(int v, int alen) {
        if (alen < 4) throw new StunFormatException("XOR-MAPPED-ADDRESS too short");
        int family = buf[v + 1] & 0xFF;
        int expect = family == FAMILY_IPV4 ? 8 : family == FAMILY_IPV6 ? 20 : -1;
        if (expect < 0) throw new StunFormatException("XOR-MAPPED-ADDRESS family " + family);
        if (alen != expect) throw new StunFormatException("XOR-MAPPED-ADDRESS length " + alen);
        xorFamily = family;
        xorPort = readShort(buf, v + 2) ^ (MAGIC_COOKIE >>> 16);
        xorAddrOff = v + 4;
    }

    private void reset() {
        buf = null;
        off = len = type = 0;
        usernameOff = softwareOff = integrityAttrOff = fingerprintAttrOff = -1;
        usernameLen = softwareLen = 0;
        priority = -1;
        useCandidate = hasControlling = hasControlled = false;
        tieBreaker = 0;
        errorCode = -1;
        errorReasonOff = errorReasonLen = 0;
        xorFamily = xorPort = xorAddrOff = 0;
        unknownRequiredAttribute = -1;
    }

    public byte[] buffer() { return buf; }
    public int offset() { return off; }
    public int length() { return len; }
    /** Message type: method and class, e.g. {@link Stun#BINDING_REQUEST}. */
    public int type() { return type; }
    public boolean isBindingRequest() { return type == BINDING_REQUEST; }
    public boolean isBindingSuccess() { return type == BINDING_SUCCESS; }
    public boolean isBindingError() { return type == BINDING_ERROR; }
    /** Offset of the 12-byte transaction id in {@link #buffer()}. */
    public int transactionIdOffset() { return off + 8; }

    public boolean hasTransactionId(byte[] txId, int txOff) {
        return java.util.Arrays.equals(buf, off + 8, off + 20, txId, txOff, txOff + 12);
    }

    public boolean hasUsername() { return usernameOff >= 0; }
    public int usernameOffset() { return usernameOff; }
    public int usernameLength() { return usernameLen; }
    /** Decodes USERNAME (allocates); null when absent. */
    public String username() {
        return usernameOff < 0 ? null : new String(buf, usernameOff, usernameLen, StandardCharsets.UTF_8);
    }
    /** True if USERNAME is exactly {@code prefix} followed by ':' (compares bytes, no allocation). */
    public boolean usernameStartsWith(byte[] prefix) {
        return usernameOff >= 0 && usernameLen > prefix.length && buf[usernameOff + prefix.length] == ':'
                && java.util.Arrays.equals(buf, usernameOff, usernameOff + prefix.length, prefix, 0, prefix.length);
    }
    public String software() {
        return softwareOff < 0 ? null : new String(buf, softwareOff, softwareLen, StandardCharsets.UTF_8);
    }
    public boolean hasMessageIntegrity() { return integrityAttrOff >= 0; }
    /** Offset of the MESSAGE-INTEGRITY attribute header, or -1. */
    public int messageIntegrityOffset() { return integrityAttrOff; }
    public boolean hasFingerprint() { return fingerprintAttrOff >= 0; }
    public int fingerprintOffset() { return fingerprintAttrOff; }
    public boolean hasPriority() { return priority >= 0; }
    public long priority() { return priority; }
    public boolean useCandidate() { return useCandidate; }
    public boolean iceControlling() { return hasControlling; }
    public boolean iceControlled() { return hasControlled; }
    public long tieBreaker() { return tieBreaker; }
    public boolean hasErrorCode() { return errorCode >= 0; }
    public int errorCode() { return errorCode; }
    public String errorReason() {
        return errorCode < 0 ? null : new String(buf, errorReasonOff, errorReasonLen, StandardCharsets.UTF_8);
    }
    public int unknownRequiredAttribute() { return unknownRequiredAttribute; }

    public boolean hasXorMappedAddress() { return xorFamily != 0; }
    public int xorMappedFamily() { return xorFamily; }
    public int xorMappedPort() { return xorPort; }
    /** The IPv4 XOR-MAPPED-ADDRESS as an int (network order packed big-endian). */
    public int xorMappedIpv4() {
        if (xorFamily != FAMILY_IPV4) throw new IllegalStateException("not an IPv4 XOR-MAPPED-ADDRESS");
        return readInt(buf, xorAddrOff) ^ MAGIC_COOKIE;
    }
    /** Decodes XOR-MAPPED-ADDRESS (allocates); null when absent. */
    public InetSocketAddress xorMappedAddress() {
        if (xorFamily == 0) return null;
        byte[] a = new byte[xorFamily == FAMILY_IPV4 ? 4 : 16];
        for (int i = 0; i < a.length; i++) {
            // key = magic cookie followed by the transaction id (RFC 5389 §15.2)
            a[i] = (byte) (buf[xorAddrOff + i] ^ buf[off + 4 + i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(a), xorPort);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // impossible for 4 or 16 bytes
        }
    }
}

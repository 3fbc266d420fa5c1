package dev.parley.rtc.stun;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import static dev.parley.rtc.stun.Stun.*;

/**
 * Writes one STUN message into a caller's buffer. Reusable: call {@link #start} for each message.
 * The header's length field is kept current after each attribute, as MESSAGE-INTEGRITY and FINGERPRINT
 * require. Not thread-safe.
 */
public final class StunWriter {
    private final byte padding;
    private final CRC32 crc = new CRC32();
    private byte[] buf;
    private int off;
    private int pos;

    public StunWriter() {
        this((byte) 0);
    }

    /** @param padding byte used to pad attributes (RFC 5769 vectors use 0x20; normal use is 0). */
    public StunWriter(byte padding) {
        this.padding = padding;
    }

    /** Starts a message of {@code type} with the 12-byte transaction id at {@code txId[txOff]}. */
    public StunWriter start(byte[] buf, int off, int type, byte[] txId, int txOff) {
        if (buf.length - off < HEADER_LENGTH) throw new IllegalArgumentException("buffer too small");
        this.buf = buf;
        this.off = off;
        writeShort(buf, off, type);
        writeShort(buf, off + 2, 0);
        writeInt(buf, off + 4, MAGIC_COOKIE);
        System.arraycopy(txId, txOff, buf, off + 8, 12);
        pos = off + HEADER_LENGTH;
        return this;
    }

    /** Length written so far. */
    public int length() {
        return pos - off;
    }

    private int beginAttr(int type, int len) {
        int padded = (len + 3) & ~3;
        if (pos + 4 + padded > buf.length) throw new IllegalArgumentException("buffer too small for attribute");
        writeShort(buf, pos, type);
        writeShort(buf, pos + 2, len);
        int v = pos + 4;
        for (int i = len; i < padded; i++) buf[v + i] = padding;
        pos = v + padded;
        writeShort(buf, off + 2, pos - off - HEADER_LENGTH);
        return v;
    }

    public StunWriter username(byte[] value, int vOff, int vLen) {
        if (vLen > 763) throw new IllegalArgumentException("USERNAME longer than 763 bytes");
        System.arraycopy(value, vOff, buf, beginAttr(ATTR_USERNAME, vLen), vLen);
        return this;
    }

    public StunWriter username(String username) {
        byte[] b = username.getBytes(StandardCharsets.UTF_8);
        return username(b, 0, b.length);
    }

    public StunWriter software(String software) {
        byte[] b = software.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, buf, beginAttr(ATTR_SOFTWARE, b.length), b.length);
        return this;
    }

    public StunWriter priority(long priority) {
        writeInt(buf, beginAttr(ATTR_PRIORITY, 4), (int) priority);
        return this;
    }

    public StunWriter useCandidate() {
        beginAttr(ATTR_USE_CANDIDATE, 0);
        return this;
    }

    public StunWriter iceControlling(long tieBreaker) {
        return tie(ATTR_ICE_CONTROLLING, tieBreaker);
    }

    public StunWriter iceControlled(long tieBreaker) {
        return tie(ATTR_ICE_CONTROLLED, tieBreaker);
    }

    private StunWriter tie(int type, long tieBreaker) {
        int v = beginAttr(type, 8);
        writeInt(buf, v, (int) (tieBreaker >>> 32));
        writeInt(buf, v + 4, (int) tieBreaker);
        return this;
    }

    public StunWriter errorCode(int code, String reason) {
        if (code < 300 || code > 699) throw new IllegalArgumentException("error code " + code);
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int v = beginAttr(ATTR_ERROR_CODE, 4 + r.length);
        buf[v] = 0;
        buf[v + 1] = 0;
        buf[v + 2] = (byte) (code / 100);
        buf[v + 3] = (byte) (code % 100);
        System.arraycopy(r, 0, buf, v + 4, r.length);
        return this;
    }

    /** XOR-MAPPED-ADDRESS for an IPv4 address given as a big-endian int; allocation-free. */
    public StunWriter xorMappedIpv4(int address, int port) {
        int v = beginAttr(ATTR_XOR_MAPPED_ADDRESS, 8);
        buf[v] = 0;
        buf[v + 1] = FAMILY_IPV4;
        writeShort(buf, v + 2, port ^ (MAGIC_COOKIE >>> 16));
        writeInt(buf, v + 4, address ^ MAGIC_COOKIE);
        return this;
    }

    /** XOR-MAPPED-ADDRESS for a 4- or 16-byte address. */
    public StunWriter xorMappedAddress(byte[] address, int port) {
        if (address.length == 4) {
            return xorMappedIpv4(readInt(address, 0), port);
        }
        if (address.length != 16) throw new IllegalArgumentException("address of " + address.length + " bytes");
        int v = beginAttr(ATTR_XOR_MAPPED_ADDRESS, 20);
        buf[v] = 0;
        buf[v + 1] = FAMILY_IPV6;
        writeShort(buf, v + 2, port ^ (MAGIC_COOKIE >>> 16));
        for (int i = 0; i < 16; i++) buf[v + 4 + i] = (byte) (address[i] ^ buf[off + 4 + i]);
        return this;
    }

    public StunWriter xorMappedAddress(InetAddress address, int port) {
        return xorMappedAddress(address.getAddress(), port);
    }

    /** Appends any attribute with the given value bytes (TURN and other STUN usages). */
    public StunWriter attribute(int type, byte[] value, int vOff, int vLen) {
        if (vLen > 0xFFFF) throw new IllegalArgumentException("attribute longer than 65535 bytes");
        System.arraycopy(value, vOff, buf, beginAttr(type, vLen), vLen);
        return this;
    }

    /** Appends an attribute holding one 32-bit unsigned value (e.g. TURN's LIFETIME). */
    public StunWriter uint32(int type, long value) {
        writeInt(buf, beginAttr(type, 4), (int) value);
        return this;
    }

    /** Appends an XOR-encoded address attribute of any type (e.g. TURN's XOR-RELAYED-ADDRESS). */
    public StunWriter xorAddress(int type, InetAddress address, int port) {
        byte[] a = address.getAddress();
        int v = beginAttr(type, a.length == 4 ? 8 : 20);
        buf[v] = 0;
        buf[v + 1] = (byte) (a.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
        writeShort(buf, v + 2, port ^ (MAGIC_COOKIE >>> 16));
        for (int i = 0; i < a.length; i++) buf[v + 4 + i] = (byte) (a[i] ^ buf[off + 4 + i]);
        return this;
    }

    /** Appends MESSAGE-INTEGRITY computed with {@code integrity}'s key. */
    public StunWriter messageIntegrity(StunIntegrity integrity) {
        int attr = pos;
        beginAttr(ATTR_MESSAGE_INTEGRITY, MESSAGE_INTEGRITY_LENGTH);
        integrity.compute(buf, off, attr, buf, attr + 4);
        return this;
    }

    /** Appends FINGERPRINT; must be the last attribute. Returns the total message length. */
    public int fingerprint() {
        int attr = pos;
        int v = beginAttr(ATTR_FINGERPRINT, 4);
        writeInt(buf, v, StunIntegrity.fingerprint(buf, off, attr, crc));
        return length();
    }
}

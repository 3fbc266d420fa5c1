package dev.parley.rtc.rtp;

import java.nio.charset.StandardCharsets;

/**
 * A reusable, allocation-free view of an RTP packet (RFC 3550) held in a byte array. Call
 * {@link #wrap} for every packet; it validates the header layout (version, CSRCs, extension block,
 * padding) and returns false instead of throwing for anything malformed.
 *
 * <p>Header extensions (RFC 8285) are read in place with {@link #findExtension(int)}; both the
 * one-byte ({@code 0xBEDE}) and the two-byte ({@code 0x100X}) forms are supported. Setters rewrite
 * fixed header fields in place. Not thread-safe: one instance per reader.
 */
public final class RtpPacket {
    public static final int FIXED_HEADER_LENGTH = 12;
    private static final int ONE_BYTE_PROFILE = 0xBEDE;

    private byte[] buf;
    private int off;
    private int len;
    private int headerLength;
    private int paddingLength;
    private int extensionProfile;
    private int extensionDataOffset;
    private int extensionDataLength;
    private int lastExtensionLength;

    /**
     * Points this view at {@code buf[off, off+len)}.
     *
     * @return false (and the view is invalid) if this is not a well-formed RTP packet
     */
    public boolean wrap(byte[] buf, int off, int len) {
        this.buf = buf;
        this.off = off;
        this.len = 0;
        if (buf == null || off < 0 || len < FIXED_HEADER_LENGTH || off + len > buf.length || len < 0) {
            return false;
        }
        int b0 = buf[off] & 0xFF;
        if ((b0 >> 6) != 2) {
            return false;
        }
        int header = FIXED_HEADER_LENGTH + (b0 & 0x0F) * 4;
        extensionProfile = -1;
        extensionDataOffset = -1;
        extensionDataLength = 0;
        if ((b0 & 0x10) != 0) {
            if (header + 4 > len) {
                return false;
            }
            extensionProfile = u16(buf, off + header);
            int words = u16(buf, off + header + 2);
            extensionDataOffset = off + header + 4;
            extensionDataLength = words * 4;
            header += 4 + words * 4;
        }
        if (header > len) {
            return false;
        }
        int padding = 0;
        if ((b0 & 0x20) != 0) {
            padding = buf[off + len - 1] & 0xFF;
            if (padding == 0 || header + padding > len) {
                return false;
            }
        }
        this.headerLength = header;
        this.paddingLength = padding;
        this.len = len;
        return true;
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    public int version() {
        return (buf[off] & 0xFF) >> 6;
    }

    public boolean hasPadding() {
        return (buf[off] & 0x20) != 0;
    }

    public boolean hasExtension() {
        return (buf[off] & 0x10) != 0;
    }

    public int csrcCount() {
        return buf[off] & 0x0F;
    }

    public boolean marker() {
        return (buf[off + 1] & 0x80) != 0;
    }

    public int payloadType() {
        return buf[off + 1] & 0x7F;
    }

    public int sequenceNumber() {
        return u16(buf, off + 2);
    }

    /** RTP timestamp as an unsigned 32-bit value. */
    public long timestamp() {
        return u32(buf, off + 4);
    }

    /** SSRC as an unsigned 32-bit value. */
    public long ssrc() {
        return u32(buf, off + 8);
    }

    public long csrc(int index) {
        return u32(buf, off + 12 + 4 * index);
    }

    /** Fixed header + CSRCs + extension block. */
    public int headerLength() {
        return headerLength;
    }

    /** Absolute offset of the payload in {@link #buffer()}. */
    public int payloadOffset() {
        return off + headerLength;
    }

    /** Payload bytes, padding excluded. */
    public int payloadLength() {
        return len - headerLength - paddingLength;
    }

    public int paddingLength() {
        return paddingLength;
    }

    /** Extension profile (e.g. {@code 0xBEDE}), or -1 if the packet has no extension block. */
    public int extensionProfile() {
        return extensionProfile;
    }

    // ---- in-place setters ----

    public void setMarker(boolean marker) {
        buf[off + 1] = (byte) (marker ? buf[off + 1] | 0x80 : buf[off + 1] & 0x7F);
    }

    public void setPayloadType(int pt) {
        buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (pt & 0x7F));
    }

    public void setSequenceNumber(int seq) {
        buf[off + 2] = (byte) (seq >> 8);
        buf[off + 3] = (byte) seq;
    }

    public void setTimestamp(long ts) {
        put32(buf, off + 4, ts);
    }

    public void setSsrc(long ssrc) {
        put32(buf, off + 8, ssrc);
    }

    // ---- header extensions ----

    /**
     * Finds the element with this id in the extension block.
     *
     * @return absolute offset of its data in {@link #buffer()}, or -1 if absent; the data length is
     *         then available from {@link #lastExtensionLength()}
     */
    public int findExtension(int id) {
        lastExtensionLength = 0;
        if (extensionDataOffset < 0 || id <= 0) {
            return -1;
        }
        int p = extensionDataOffset;
        int end = extensionDataOffset + extensionDataLength;
        if (extensionProfile == ONE_BYTE_PROFILE) {
            if (id > 14) {
                return -1;
            }
            while (p < end) {
                int b = buf[p] & 0xFF;
                int eid = b >> 4;
                if (eid == 0) { // padding byte
                    p++;
                    continue;
                }
                if (eid == 15) { // reserved: stop parsing (RFC 8285 §4.2)
                    return -1;
                }
                int elen = (b & 0x0F) + 1;
                if (p + 1 + elen > end) {
                    return -1;
                }
                if (eid == id) {
                    lastExtensionLength = elen;
                    return p + 1;
                }
                p += 1 + elen;
            }
        } else if ((extensionProfile & 0xFFF0) == 0x1000) {
            while (p < end) {
                int eid = buf[p] & 0xFF;
                if (eid == 0) {
                    p++;
                    continue;
                }
                if (p + 2 > end) {
                    return -1;
                }
                int elen = buf[p + 1] & 0xFF;
                if (p + 2 + elen > end) {
                    return -1;
                }
                if (eid == id) {
                    lastExtensionLength = elen;
                    return p + 2;
                }
                p += 2 + elen;
            }
        }
        return -1;
    }

    /** Data length of the element found by the last {@link #findExtension} call. */
    public int lastExtensionLength() {
        return lastExtensionLength;
    }

    /** True if extension {@code id} is present and its data equals {@code value}. No allocation. */
    public boolean extensionEquals(int id, byte[] value) {
        int p = findExtension(id);
        if (p < 0 || lastExtensionLength != value.length) {
            return false;
        }
        for (int i = 0; i < value.length; i++) {
            if (buf[p + i] != value[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The extension's data as text (mid, rid and repaired-rid are ASCII), or null if absent.
     * Allocates: meant for binding SSRCs to rids on the first packets, not for every packet.
     */
    public String extensionAsString(int id) {
        int p = findExtension(id);
        if (p < 0) {
            return null;
        }
        int n = lastExtensionLength;
        // senders may pad the value with NULs
        while (n > 0 && buf[p + n - 1] == 0) {
            n--;
        }
        return new String(buf, p, n, StandardCharsets.US_ASCII);
    }

    static int u16(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    /** The timestamp of the RTP packet starting at {@code buf[off]}, without wrapping a view. */
    public static long timestampAt(byte[] buf, int off) {
        return u32(buf, off + 4);
    }

    /** Overwrites the timestamp of the RTP packet starting at {@code buf[off]}, without wrapping a view. */
    public static void writeTimestampAt(byte[] buf, int off, long ts) {
        put32(buf, off + 4, ts);
    }

    static long u32(byte[] b, int p) {
        return ((long) (b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    static void put32(byte[] b, int p, long v) {
        b[p] = (byte) (v >> 24);
        b[p + 1] = (byte) (v >> 16);
        b[p + 2] = (byte) (v >> 8);
        b[p + 3] = (byte) v;
    }
}

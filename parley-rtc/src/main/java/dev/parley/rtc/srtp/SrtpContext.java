package dev.parley.rtc.srtp;

import io.netty.util.collection.IntObjectHashMap;

/**
 * One direction of an SRTP session: every SSRC protected (or unprotected) with one master key, for
 * both SRTP and SRTCP (RFC 3711, RFC 7714).
 *
 * <p>Protect and unprotect work in place (dst = src) or into a caller's buffer; the output of protect
 * is {@link SrtpProfile#rtpOverhead()} / {@link SrtpProfile#rtcpOverhead()} bytes longer, and the
 * caller must leave that room. Unprotect returns the plaintext length or a negative
 * {@link SrtpStatus}. Per-SSRC state (rollover counter, 512-packet replay window, SRTCP index) is
 * created on the first packet of an SSRC that authenticates. AES_CM_128_HMAC_SHA1_80 allocates nothing
 * per packet; nor does AEAD_AES_128_GCM on OpenSSL's libcrypto ({@link OpenSslGcmCipher}, used when it
 * can be loaded), while the JDK's GCM it falls back to allocates about 1 KB of short-lived garbage per
 * packet (see {@link GcmChoice}).
 *
 * <p>Not thread-safe: confine an instance to one thread.
 */
public final class SrtpContext {
    private final SrtpProfile profile;
    private final PacketCipher rtp;
    private final PacketCipher rtcp;
    private final IntObjectHashMap<RtpStreamState> streams = new IntObjectHashMap<>();

    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this(profile, checked(profile, masterKey, masterSalt, true), checked(profile, masterKey, masterSalt, false));
    }

    private static SessionKeys checked(SrtpProfile p, byte[] key, byte[] salt, boolean rtp) {
        if (key.length != p.keyLength() || salt.length != p.saltLength()) {
            throw new IllegalArgumentException(p + " needs a " + p.keyLength() + "-byte key and a "
                    + p.saltLength() + "-byte salt, got " + key.length + " and " + salt.length);
        }
        return rtp ? SessionKeys.rtp(p, key, salt) : SessionKeys.rtcp(p, key, salt);
    }

    /** From already-derived session keys (test vectors give those). */
    SrtpContext(SrtpProfile profile, SessionKeys rtpKeys, SessionKeys rtcpKeys) {
        this(profile, cipher(profile, rtpKeys), cipher(profile, rtcpKeys));
    }

    /** With given transforms (tests compare implementations). */
    SrtpContext(SrtpProfile profile, PacketCipher rtp, PacketCipher rtcp) {
        this.profile = profile;
        this.rtp = rtp;
        this.rtcp = rtcp;
    }

    private static PacketCipher cipher(SrtpProfile p, SessionKeys k) {
        return switch (p) {
            case AES_CM_128_HMAC_SHA1_80 -> new CtrHmacCipher(k);
            case AEAD_AES_128_GCM -> GcmChoice.create(k);
        };
    }

    public SrtpProfile profile() {
        return profile;
    }

    /**
     * Length of the RTP header (fixed part, CSRCs, extension) of the packet, or -1 if it is not a
     * version-2 RTP packet whose header fits in {@code len}.
     */
    public static int rtpHeaderLength(byte[] b, int off, int len) {
        if (len < 12 || (b[off] & 0xC0) != 0x80) return -1;
        int h = 12 + ((b[off] & 0x0F) << 2);
        if ((b[off] & 0x10) != 0) {
            if (h + 4 > len) return -1;
            h += 4 + ((((b[off + h + 2] & 0xFF) << 8) | (b[off + h + 3] & 0xFF)) << 2);
        }
        return h <= len ? h : -1;
    }

    private static int readInt(byte[] b, int o) {
        return ((b[o] & 0xFF) << 24) | ((b[o + 1] & 0xFF) << 16) | ((b[o + 2] & 0xFF) << 8) | (b[o + 3] & 0xFF);
    }

    private static void checkRoom(byte[] dst, int dstOff, int need) {
        if (dstOff < 0 || dst.length - dstOff < need) {
            throw new IllegalArgumentException("output buffer too small: need " + need + " bytes at " + dstOff);
        }
    }

    /**
     * Protects in place; returns the new length, or {@link SrtpStatus#MALFORMED}, or (GCM only)
     * {@link SrtpStatus#NONCE_REUSE} for an index already protected with other bytes.
     */
    public int protectRtp(byte[] buf, int off, int len) {
        return protectRtp(buf, off, len, buf, off);
    }

    public int protectRtp(byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
        int hdr = rtpHeaderLength(src, srcOff, len);
        if (hdr < 0) return SrtpStatus.MALFORMED;
        checkRoom(dst, dstOff, len + profile.rtpOverhead());
        int seq = ((src[srcOff + 2] & 0xFF) << 8) | (src[srcOff + 3] & 0xFF);
        int ssrc = readInt(src, srcOff + 8);
        RtpStreamState s = streams.get(ssrc);
        if (s == null) {
            s = new RtpStreamState(seq);
            streams.put(ssrc, s);
        } else if (s.rtpUnset) {
            s.highestSeq = seq;
            s.rtpUnset = false;
        }
        int v = RtpStreamState.guessRoc(s.roc, s.highestSeq, seq);
        if (v < 0) v = 0;
        if (profile == SrtpProfile.AEAD_AES_128_GCM) return protectAead(s, src, srcOff, hdr, len, dst, dstOff, ssrc, v, seq);
        s.update(v, seq);
        return rtp.protectRtp(src, srcOff, hdr, len, dst, dstOff, ssrc, v, seq);
    }

    /** Indices remembered per SSRC for {@link #protectAead}: NACKs for older packets are not answered under GCM. */
    static final int SENT_TAGS = 1024;

    /**
     * GCM protect with a nonce-reuse guard (media-path pitfall 4). An index may be protected again
     * only with the same bytes: a plain retransmission is then byte-identical and harmless, but one
     * with a different header (a new transport-wide sequence number, a changed marker) under the
     * same IV would let an observer solve for GCM's authentication key. AES-CM has no such weakness
     * (same keystream over the same payload), so only GCM pays for this: the first 4 tag bytes of
     * the last {@link #SENT_TAGS} indices per SSRC, compared when an index comes again; a mismatch
     * (or an index older than that) is refused before anything is sent.
     */
    private int protectAead(RtpStreamState s, byte[] src, int srcOff, int hdr, int len, byte[] dst, int dstOff,
                            int ssrc, int v, int seq) {
        long index = RtpStreamState.index(v, seq);
        long highest = RtpStreamState.index(s.roc, s.highestSeq);
        long[] tags = s.sentTags;
        if (tags == null) tags = s.sentTags = new long[SENT_TAGS];
        boolean again = index <= highest;
        if (again && highest - index >= SENT_TAGS) return SrtpStatus.NONCE_REUSE;
        int slot = (int) index & (SENT_TAGS - 1);
        long mark = (long) ((int) index + 1) << 32;
        long previous = tags[slot];
        int n = rtp.protectRtp(src, srcOff, hdr, len, dst, dstOff, ssrc, v, seq);
        long sent = mark | (readInt(dst, dstOff + len) & 0xFFFFFFFFL);
        if (again && (previous & 0xFFFFFFFF00000000L) == mark && previous != sent) {
            java.util.Arrays.fill(dst, dstOff, dstOff + n, (byte) 0);
            return SrtpStatus.NONCE_REUSE;
        }
        tags[slot] = sent;
        s.update(v, seq);
        return n;
    }

    /** Unprotects in place; returns the plaintext length or a negative {@link SrtpStatus}. */
    public int unprotectRtp(byte[] buf, int off, int len) {
        return unprotectRtp(buf, off, len, buf, off);
    }

    public int unprotectRtp(byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
        int tag = rtp.tagLength();
        int hdr = rtpHeaderLength(src, srcOff, len - tag);
        if (hdr < 0) return SrtpStatus.MALFORMED;
        checkRoom(dst, dstOff, len - tag);
        int seq = ((src[srcOff + 2] & 0xFF) << 8) | (src[srcOff + 3] & 0xFF);
        int ssrc = readInt(src, srcOff + 8);
        RtpStreamState s = streams.get(ssrc);
        int v = 0;
        if (s != null && !s.rtpUnset) {
            v = RtpStreamState.guessRoc(s.roc, s.highestSeq, seq);
            if (v < 0 || !s.rtpWindow.accepts(RtpStreamState.index(v, seq))) return SrtpStatus.REPLAYED;
        }
        if (!rtp.unprotectRtp(src, srcOff, hdr, len, dst, dstOff, ssrc, v, seq)) return SrtpStatus.AUTH_FAILED;
        if (s == null) {
            s = new RtpStreamState(seq);
            streams.put(ssrc, s);
        } else if (s.rtpUnset) {
            s.highestSeq = seq;
            s.rtpUnset = false;
        }
        s.update(v, seq);
        s.rtpWindow.record(RtpStreamState.index(v, seq));
        return len - tag;
    }

    /** Protects a compound RTCP packet in place; returns the new length (or MALFORMED). */
    public int protectRtcp(byte[] buf, int off, int len) {
        return protectRtcp(buf, off, len, buf, off);
    }

    public int protectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
        if (len < 8 || (src[srcOff] & 0xC0) != 0x80) return SrtpStatus.MALFORMED;
        checkRoom(dst, dstOff, len + profile.rtcpOverhead());
        int ssrc = readInt(src, srcOff + 4);
        RtpStreamState s = streams.get(ssrc);
        if (s == null) {
            s = new RtpStreamState(0);
            s.rtpUnset = true;
            streams.put(ssrc, s);
        }
        int index = s.nextRtcpIndex;
        s.nextRtcpIndex = (index + 1) & 0x7FFFFFFF;
        return rtcp.protectRtcp(src, srcOff, len, dst, dstOff, ssrc, index);
    }

    /** Unprotects a compound SRTCP packet in place; returns the plaintext length or a negative status. */
    public int unprotectRtcp(byte[] buf, int off, int len) {
        return unprotectRtcp(buf, off, len, buf, off);
    }

    public int unprotectRtcp(byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
        int overhead = profile.rtcpOverhead();
        if (len < 8 + overhead || (src[srcOff] & 0xC0) != 0x80) return SrtpStatus.MALFORMED;
        int plainLen = len - overhead;
        checkRoom(dst, dstOff, plainLen);
        int ssrc = readInt(src, srcOff + 4);
        int eIndex = readInt(src, srcOff + rtcp.rtcpIndexOffset(len));
        int index = eIndex & 0x7FFFFFFF;
        boolean encrypted = eIndex < 0;
        RtpStreamState s = streams.get(ssrc);
        if (s != null && !s.rtcpWindow.accepts(index)) return SrtpStatus.REPLAYED;
        if (!rtcp.unprotectRtcp(src, srcOff, len, dst, dstOff, ssrc, index, encrypted)) return SrtpStatus.AUTH_FAILED;
        if (s == null) {
            s = new RtpStreamState(0);
            s.rtpUnset = true; // the first RTP packet of this SSRC will set the sequence base
            streams.put(ssrc, s);
        }
        s.rtcpWindow.record(index);
        return plainLen;
    }

    /** For test vectors that start at a given SRTCP index. */
    void setNextRtcpIndex(int ssrc, int index) {
        RtpStreamState s = streams.get(ssrc);
        if (s == null) {
            s = new RtpStreamState(0);
            s.rtpUnset = true;
            streams.put(ssrc, s);
        }
        s.nextRtcpIndex = index;
    }
}

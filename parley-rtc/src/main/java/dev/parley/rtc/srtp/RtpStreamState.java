package dev.parley.rtc.srtp;

/** Per-SSRC SRTP state: rollover counter, highest sequence number, replay window, SRTCP index. */
final class RtpStreamState {
    int roc;
    int highestSeq;
    final ReplayWindow rtpWindow = new ReplayWindow();
    final ReplayWindow rtcpWindow = new ReplayWindow();
    /** Next SRTCP index to send (31 bits). */
    int nextRtcpIndex;
    /** AEAD only, sending side: per index slot, (low 32 bits of the index + 1) << 32 | the tag's first 4 bytes; see {@link SrtpContext}. */
    long[] sentTags;
    /** True while only SRTCP has been seen for this SSRC: the first RTP packet sets the sequence base. */
    boolean rtpUnset;

    RtpStreamState(int firstSeq) {
        this.highestSeq = firstSeq;
    }

    /**
     * RFC 3711 Appendix A: guesses the rollover counter of {@code seq} relative to the highest
     * sequence number seen.
     */
    static int guessRoc(int roc, int highestSeq, int seq) {
        if (highestSeq < 32768) {
            return seq - highestSeq > 32768 ? roc - 1 : roc;
        }
        return highestSeq - 32768 > seq ? roc + 1 : roc;
    }

    /** Advances ROC and highest seq after an authenticated (or sent) packet with index {@code v:seq}. */
    void update(int v, int seq) {
        if (v == roc + 1) {
            roc = v;
            highestSeq = seq;
        } else if (v == roc && seq > highestSeq) {
            highestSeq = seq;
        }
    }

    static long index(int roc, int seq) {
        return ((roc & 0xFFFFFFFFL) << 16) | seq;
    }
}

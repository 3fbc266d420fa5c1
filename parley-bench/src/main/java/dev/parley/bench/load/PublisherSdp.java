package dev.parley.bench.load;

import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.sdp.ExtMap;
import dev.parley.rtc.sdp.MediaSection;
import dev.parley.rtc.sdp.SessionDescription;
import java.util.OptionalInt;

/**
 * The SDP offer a browser would send for a camera stream (S17): BUNDLEd audio (Opus) and video
 * (VP8 with NACK, PLI, FIR and REMB; optionally transport-cc) sections, sendonly, ICE credentials and our DTLS
 * fingerprint, setup actpass. Simulcast layers are announced with rid/simulcast attributes and
 * identified by the mid/rid header extensions (pitfall 8); single-layer SSRCs with a=ssrc lines.
 */
public final class PublisherSdp {
    public static final String AUDIO_MID = "0";
    public static final String VIDEO_MID = "1";

    private PublisherSdp() {
    }

    public static String offer(IceCredentials ice, Fingerprint fingerprint, String streamId, String cname,
            long audioSsrc, long[] videoSsrcs) {
        return offer(ice, fingerprint, streamId, cname, audioSsrc, videoSsrcs, false);
    }

    /**
     * With {@code transportCc}, both sections also offer transport-wide sequence numbers (header
     * extension {@value Publisher#TRANSPORT_CC_EXT}) and {@code transport-cc} feedback, as Chromium's
     * offers do: the answer decides whether the publisher numbers its packets ({@link #keepsTransportCc}).
     */
    public static String offer(IceCredentials ice, Fingerprint fingerprint, String streamId, String cname,
            long audioSsrc, long[] videoSsrcs, boolean transportCc) {
        boolean audio = audioSsrc != 0;
        boolean video = videoSsrcs.length > 0;
        StringBuilder s = new StringBuilder();
        line(s, "v=0");
        line(s, "o=- " + (System.nanoTime() & Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1");
        line(s, "s=-");
        line(s, "t=0 0");
        String bundle = (audio ? " " + AUDIO_MID : "") + (video ? " " + VIDEO_MID : "");
        line(s, "a=group:BUNDLE" + bundle);
        line(s, "a=msid-semantic: WMS " + streamId);
        if (audio) {
            line(s, "m=audio 9 UDP/TLS/RTP/SAVPF " + Publisher.OPUS_PT);
            transport(s, ice, fingerprint, AUDIO_MID);
            line(s, "a=extmap:" + Publisher.MID_EXT + " urn:ietf:params:rtp-hdrext:sdes:mid");
            if (transportCc) {
                line(s, "a=extmap:" + Publisher.TRANSPORT_CC_EXT + " " + ExtMap.TRANSPORT_WIDE_CC);
            }
            line(s, "a=sendonly");
            line(s, "a=msid:" + streamId + " audio-" + streamId);
            line(s, "a=rtcp-mux");
            line(s, "a=rtpmap:" + Publisher.OPUS_PT + " opus/48000/2");
            if (transportCc) {
                line(s, "a=rtcp-fb:" + Publisher.OPUS_PT + " transport-cc");
            }
            line(s, "a=fmtp:" + Publisher.OPUS_PT + " minptime=10;useinbandfec=1");
            ssrc(s, audioSsrc, cname, streamId, "audio-" + streamId);
        }
        if (video) {
            int pt = Publisher.VP8_PT;
            line(s, "m=video 9 UDP/TLS/RTP/SAVPF " + pt);
            transport(s, ice, fingerprint, VIDEO_MID);
            line(s, "a=extmap:" + Publisher.MID_EXT + " urn:ietf:params:rtp-hdrext:sdes:mid");
            line(s, "a=extmap:" + Publisher.RID_EXT + " urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
            if (transportCc) {
                line(s, "a=extmap:" + Publisher.TRANSPORT_CC_EXT + " " + ExtMap.TRANSPORT_WIDE_CC);
            }
            line(s, "a=sendonly");
            line(s, "a=msid:" + streamId + " video-" + streamId);
            line(s, "a=rtcp-mux");
            line(s, "a=rtcp-rsize");
            line(s, "a=rtpmap:" + pt + " VP8/90000");
            line(s, "a=rtcp-fb:" + pt + " goog-remb");
            if (transportCc) {
                line(s, "a=rtcp-fb:" + pt + " transport-cc");
            }
            line(s, "a=rtcp-fb:" + pt + " ccm fir");
            line(s, "a=rtcp-fb:" + pt + " nack");
            line(s, "a=rtcp-fb:" + pt + " nack pli");
            if (videoSsrcs.length > 1) {
                line(s, "a=rid:h send");
                line(s, "a=rid:l send");
                line(s, "a=simulcast:send h;l");
            } else {
                ssrc(s, videoSsrcs[0], cname, streamId, "video-" + streamId);
            }
        }
        return s.toString();
    }

    /**
     * The transport-wide extension id the answer kept with {@code transport-cc} feedback in some
     * section (the id is ours: an answer keeps the offer's), or -1: then the publisher sends no
     * numbers and gets no transport feedback, as a browser would.
     */
    public static int keepsTransportCc(SessionDescription answer) {
        for (MediaSection m : answer.media()) {
            OptionalInt id = m.extMapId(ExtMap.TRANSPORT_WIDE_CC);
            if (id.isPresent() && m.codecs().stream().anyMatch(c -> c.hasFeedback("transport-cc"))) {
                return id.getAsInt();
            }
        }
        return -1;
    }

    static void transport(StringBuilder s, IceCredentials ice, Fingerprint fingerprint, String mid) {
        line(s, "c=IN IP4 0.0.0.0");
        line(s, "a=rtcp:9 IN IP4 0.0.0.0");
        line(s, "a=ice-ufrag:" + ice.ufrag());
        line(s, "a=ice-pwd:" + ice.password());
        line(s, "a=fingerprint:" + fingerprint);
        line(s, "a=setup:actpass");
        line(s, "a=mid:" + mid);
    }

    private static void ssrc(StringBuilder s, long ssrc, String cname, String streamId, String trackId) {
        line(s, "a=ssrc:" + ssrc + " cname:" + cname);
        line(s, "a=ssrc:" + ssrc + " msid:" + streamId + " " + trackId);
    }

    static void line(StringBuilder s, String l) {
        s.append(l).append("\r\n");
    }
}

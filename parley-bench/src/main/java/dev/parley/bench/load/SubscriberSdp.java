package dev.parley.bench.load;

import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.sdp.MediaSection;
import dev.parley.rtc.sdp.RtpCodec;
import dev.parley.rtc.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * A browser's answer to a down-stream offer (S10): every offered section mirrored, recvonly with
 * the offered codec (or inactive when the server detached it), our ICE credentials and
 * fingerprint, and setup active, so we are the DTLS client.
 */
public final class SubscriberSdp {
    private SubscriberSdp() {
    }

    public static String answer(SessionDescription offer, IceCredentials ice, Fingerprint fingerprint) {
        StringBuilder s = new StringBuilder();
        PublisherSdp.line(s, "v=0");
        PublisherSdp.line(s, "o=- " + (System.nanoTime() & Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1");
        PublisherSdp.line(s, "s=-");
        PublisherSdp.line(s, "t=0 0");
        List<String> bundle = new ArrayList<>();
        for (MediaSection m : offer.media()) {
            if (m.port() != 0) {
                bundle.add(m.mid().orElse(""));
            }
        }
        if (!bundle.isEmpty()) {
            PublisherSdp.line(s, "a=group:BUNDLE " + String.join(" ", bundle));
        }
        PublisherSdp.line(s, "a=msid-semantic: WMS");
        for (MediaSection m : offer.media()) {
            List<RtpCodec> codecs = m.codecs();
            String pt = codecs.isEmpty() ? (m.formats().isEmpty() ? "0" : m.formats().getFirst())
                    : Integer.toString(codecs.getFirst().payloadType());
            boolean active = m.port() != 0 && !codecs.isEmpty();
            PublisherSdp.line(s, "m=" + m.kind() + " " + (active ? 9 : 0) + " " + m.proto() + " " + pt);
            PublisherSdp.line(s, "c=IN IP4 0.0.0.0");
            PublisherSdp.line(s, "a=ice-ufrag:" + ice.ufrag());
            PublisherSdp.line(s, "a=ice-pwd:" + ice.password());
            PublisherSdp.line(s, "a=fingerprint:" + fingerprint);
            PublisherSdp.line(s, "a=setup:active");
            PublisherSdp.line(s, "a=mid:" + m.mid().orElse(""));
            PublisherSdp.line(s, active ? "a=recvonly" : "a=inactive");
            PublisherSdp.line(s, "a=rtcp-mux");
            if (!codecs.isEmpty()) {
                RtpCodec c = codecs.getFirst();
                PublisherSdp.line(s, "a=rtpmap:" + c.payloadType() + " " + c.name() + "/" + c.clockRate()
                        + (c.channels() > 1 ? "/" + c.channels() : ""));
                if (c.fmtp() != null && !c.fmtp().isEmpty()) {
                    PublisherSdp.line(s, "a=fmtp:" + c.payloadType() + " " + c.fmtp());
                }
                for (String fb : c.feedback()) {
                    PublisherSdp.line(s, "a=rtcp-fb:" + c.payloadType() + " " + fb);
                }
            }
        }
        return s.toString();
    }
}

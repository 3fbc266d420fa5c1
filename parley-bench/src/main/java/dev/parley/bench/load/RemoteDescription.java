package dev.parley.bench.load;

import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.sdp.Candidate;
import dev.parley.rtc.sdp.MediaSection;
import dev.parley.rtc.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.util.Optional;

/** What a client needs from the server's SDP to connect: its ICE credentials, fingerprint and UDP candidate. */
public record RemoteDescription(IceCredentials ice, Fingerprint fingerprint, InetSocketAddress candidate) {

    /** From the first active m-section of a server offer or answer; throws if something is missing. */
    public static RemoteDescription of(SessionDescription sdp) {
        for (MediaSection m : sdp.media()) {
            if (m.port() == 0) {
                continue;
            }
            Optional<String> ufrag = sdp.iceUfrag(m);
            Optional<String> pwd = sdp.icePwd(m);
            var fp = sdp.fingerprint(m);
            Candidate udp = m.candidates().stream().filter(Candidate::isUdp).findFirst()
                    .orElseGet(() -> sdp.candidates().stream().filter(Candidate::isUdp).findFirst().orElse(null));
            if (ufrag.isEmpty() || pwd.isEmpty() || fp.isEmpty() || udp == null) {
                throw new IllegalArgumentException("server SDP lacks ICE credentials, fingerprint or a UDP candidate");
            }
            return new RemoteDescription(new IceCredentials(ufrag.get(), pwd.get()),
                    Fingerprint.parse(fp.get().format()), new InetSocketAddress(udp.address(), udp.port()));
        }
        throw new IllegalArgumentException("server SDP has no active m-section");
    }
}

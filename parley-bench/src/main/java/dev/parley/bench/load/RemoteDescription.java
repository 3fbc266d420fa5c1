package dev.parley.bench.load;

import dev.parley.rtc.dtls.Fingerprint;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.sdp.Candidate;
import dev.parley.rtc.sdp.MediaSection;
import dev.parley.rtc.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a client needs from the server's SDP to connect: its ICE credentials, fingerprint, and the
 * UDP candidates the SDP carries (none when the server trickles them in ice messages, S16).
 */
public record RemoteDescription(IceCredentials ice, Fingerprint fingerprint, List<Candidate> candidates) {

    /** From the first active m-section of a server offer or answer; throws if credentials or fingerprint are missing. */
    public static RemoteDescription of(SessionDescription sdp) {
        for (MediaSection m : sdp.media()) {
            if (m.port() == 0) {
                continue;
            }
            Optional<String> ufrag = sdp.iceUfrag(m);
            Optional<String> pwd = sdp.icePwd(m);
            var fp = sdp.fingerprint(m);
            if (ufrag.isEmpty() || pwd.isEmpty() || fp.isEmpty()) {
                throw new IllegalArgumentException("server SDP lacks ICE credentials or a fingerprint");
            }
            List<Candidate> udp = new ArrayList<>();
            m.candidates().stream().filter(Candidate::isUdp).forEach(udp::add);
            sdp.candidates().stream().filter(Candidate::isUdp).forEach(udp::add);
            return new RemoteDescription(new IceCredentials(ufrag.get(), pwd.get()),
                    Fingerprint.parse(fp.get().format()), List.copyOf(udp));
        }
        throw new IllegalArgumentException("server SDP has no active m-section");
    }
}

package dev.parley.server.sfu;

import dev.parley.rtc.sdp.Candidate;
import dev.parley.rtc.sdp.Fingerprint;

import java.util.List;

/** What our side of a peer connection puts in its SDP: ICE credentials, DTLS fingerprint, candidates. */
public record LocalEndpoint(String ufrag, String pwd, Fingerprint fingerprint, List<Candidate> candidates) {
}

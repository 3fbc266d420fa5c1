package dev.parley.server.ws;

import dev.parley.protocol.Message;
import dev.parley.rtc.sdp.Candidate;
import dev.parley.rtc.sdp.MediaSection;
import dev.parley.rtc.sdp.SessionDescription;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code -ice-trickle}: the server's candidates leave its SDP and follow it as {@code ice}
 * messages (S16, S22), as Galène sends them. All sections are bundled on one transport, so the
 * candidates of the first section that has any are sent once, for that section.
 */
final class CandidateTrickle {
    private CandidateTrickle() {
    }

    /**
     * Removes every candidate (and end-of-candidates) from {@code sdp} and returns the
     * {@code ice} messages that carry them for stream {@code id}, in the SDP's order.
     */
    static List<Message> moveOut(String id, SessionDescription sdp) {
        List<Message> out = new ArrayList<>();
        List<MediaSection> media = sdp.media();
        for (int index = 0; index < media.size(); index++) {
            MediaSection m = media.get(index);
            if (out.isEmpty() && m.port() != 0) {
                String mid = m.mid().orElse(null);
                String ufrag = sdp.iceUfrag(m).orElse(null);
                for (Candidate c : m.candidates()) {
                    out.add(Message.of("ice").id(id)
                            .candidate(new Message.Candidate(c.format(), mid, index, ufrag)).build());
                }
            }
            m.removeAttributes("candidate");
            m.removeAttributes("end-of-candidates");
        }
        sdp.removeAttributes("candidate");
        sdp.removeAttributes("end-of-candidates");
        return out;
    }
}

package dev.parley.server.sfu;

import dev.parley.rtc.dtls.DtlsRole;
import dev.parley.rtc.sdp.Candidate;
import dev.parley.rtc.sdp.Direction;
import dev.parley.rtc.sdp.ExtMap;
import dev.parley.rtc.sdp.MediaSection;
import dev.parley.rtc.sdp.Msid;
import dev.parley.rtc.sdp.Origin;
import dev.parley.rtc.sdp.RtpCodec;
import dev.parley.rtc.sdp.SessionDescription;
import dev.parley.rtc.sdp.Setup;
import dev.parley.rtc.sdp.Simulcast;
import dev.parley.rtc.sdp.SsrcAttribute;
import dev.parley.rtc.sdp.SsrcGroup;
import dev.parley.server.dependencydescriptor.DependencyDescriptor;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes the server's SDP: answers to presenters' offers (S21) and offers to receivers
 * (S8, S9). The server is ICE-lite; it is the DTLS server unless the peer insists on being it
 * ({@link DtlsSetup}).
 */
public final class SdpNegotiation {
    private static final String PROTO = "UDP/TLS/RTP/SAVPF";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SdpNegotiation() {
    }

    /** An answer, the sections it accepted, and the DTLS role it gives the server. */
    public record Answer(SessionDescription sdp, List<UpSection> sections, DtlsRole dtlsRole) {
    }

    /**
     * Answers a presenter's offer: one {@code recvonly} section per offered audio or video
     * section with a codec of the group (MD2), rejected sections with port 0.
     *
     * @throws IllegalArgumentException if the offer's {@code a=setup} allows no DTLS association
     */
    public static Answer answer(SessionDescription offer, List<String> groupCodecs, LocalEndpoint local) {
        DtlsSetup.Choice setup = DtlsSetup.answerTo(DtlsSetup.of(offer));
        SessionDescription answer = SessionDescription.create(origin(1));
        List<UpSection> accepted = new ArrayList<>();
        List<String> bundle = new ArrayList<>();
        List<MediaSection> sections = new ArrayList<>();
        for (MediaSection m : offer.media()) {
            String mid = m.mid().orElse(Integer.toString(sections.size()));
            Optional<CodecTable.Chosen> chosen = (m.isAudio() || m.isVideo()) && m.direction().sends()
                    ? CodecTable.choose(groupCodecs, m.kind(), m.codecs()) : Optional.empty();
            MediaSection a = MediaSection.create(m.kind(), chosen.isPresent() ? 9 : 0, m.proto(), List.of());
            a.setField('c', "IN IP4 0.0.0.0");
            a.setMid(mid);
            if (chosen.isEmpty()) {
                if (m.formats().isEmpty()) {
                    a.setFormats(List.of("0"));
                } else {
                    a.setFormats(List.of(m.formats().getFirst()));
                }
                a.setDirection(Direction.INACTIVE);
                sections.add(a);
                continue;
            }
            bundle.add(mid);
            RtpCodec offered = chosen.get().offered();
            // transport-cc goes with its header extension: one without the other is useless
            boolean transportCc = offered.hasFeedback(CodecTable.TRANSPORT_CC)
                    && m.extMapId(ExtMap.TRANSPORT_WIDE_CC).isPresent();
            List<String> feedback = offered.feedback().stream()
                    .filter(f -> m.isVideo() && CodecTable.VIDEO_FEEDBACK.contains(f)
                            || transportCc && f.equals(CodecTable.TRANSPORT_CC))
                    .toList();
            a.addCodec(new RtpCodec(offered.payloadType(), offered.name(), offered.clockRate(), offered.channels(),
                    offered.fmtp(), feedback));
            UpSection.Rtx rtx = m.isVideo() ? acceptRtx(m, offered) : null;
            if (rtx != null) {
                a.addCodec(CodecTable.rtxCodec(rtx.payloadType(), offered.payloadType(), offered.clockRate()));
            }
            // AV1's layers are only known from its dependency descriptor (docs/svc.md)
            boolean av1 = chosen.get().entry().name().equals("av1");
            int midId = -1, ridId = -1, transportCcId = -1, ddId = -1;
            for (ExtMap e : m.extMaps()) {
                if (e.uri().equals(ExtMap.MID) || e.uri().equals(ExtMap.RID) || e.uri().equals(ExtMap.REPAIRED_RID)
                        || transportCc && e.uri().equals(ExtMap.TRANSPORT_WIDE_CC)
                        || av1 && e.uri().equals(DependencyDescriptor.URI)) {
                    a.addExtMap(new ExtMap(e.id(), null, e.uri(), null));
                    if (e.uri().equals(ExtMap.MID)) {
                        midId = e.id();
                    } else if (e.uri().equals(ExtMap.RID)) {
                        ridId = e.id();
                    } else if (e.uri().equals(ExtMap.TRANSPORT_WIDE_CC)) {
                        transportCcId = e.id();
                    } else if (e.uri().equals(DependencyDescriptor.URI)) {
                        ddId = e.id();
                    }
                }
            }
            a.setDirection(Direction.RECVONLY);
            List<String> rids = new ArrayList<>();
            m.rids().stream().filter(r -> r.direction().equals("send")).forEach(r -> rids.add(r.id()));
            if (!rids.isEmpty()) {
                for (String rid : rids) {
                    a.addAttribute("rid", rid + " recv");
                }
                a.addAttribute("simulcast", "recv " + String.join(";", rids));
            }
            a.addAttribute("rtcp-mux", null);
            addTransport(a, local, setup.answer());
            sections.add(a);
            Msid msid = m.msid().orElse(msidFromSsrcs(m));
            accepted.add(new UpSection(mid, m.kind(), chosen.get().entry(), offered.payloadType(), List.copyOf(rids),
                    msid, m.mediaSsrcs(), midId, ridId, feedback.contains("nack"), feedback.contains("nack pli"),
                    feedback.contains("goog-remb"), transportCcId, rtx, ddId));
        }
        sessionAttributes(answer, bundle);
        if (accepted.stream().anyMatch(u -> u.dependencyDescriptorExtensionId() > 0)
                && offer.hasAttribute(EXTMAP_ALLOW_MIXED)) {
            // a keyframe's dependency descriptor (its structure) outgrows the one-byte form
            answer.addAttribute(EXTMAP_ALLOW_MIXED, null);
        }
        sections.forEach(answer::addMedia);
        return new Answer(answer, accepted, setup.role());
    }

    /** The offer's RTX format for the chosen codec (apt), with its FID SSRC pairs; null if none. */
    private static UpSection.Rtx acceptRtx(MediaSection m, RtpCodec chosen) {
        for (RtpCodec c : m.codecs()) {
            if (c.isNamed("rtx") && Integer.toString(chosen.payloadType()).equals(c.fmtpParameter("apt"))) {
                java.util.Map<Long, Long> pairs = new java.util.HashMap<>();
                for (var g : m.ssrcGroups()) {
                    if (g.semantics().equals("FID") && g.ssrcs().size() == 2) {
                        pairs.put(g.ssrcs().get(1), g.ssrcs().get(0));
                    }
                }
                return new UpSection.Rtx(c.payloadType(), pairs, m.extMapId(ExtMap.REPAIRED_RID).orElse(-1));
            }
        }
        return null;
    }

    private static Msid msidFromSsrcs(MediaSection m) {
        for (SsrcAttribute a : m.ssrcAttributes()) {
            if (a.attribute().equals("msid") && a.value() != null) {
                return Msid.parse(a.value());
            }
        }
        return null;
    }

    /** The offer for a receiver's down stream; {@code version} increases with each renegotiation. */
    public static SessionDescription offer(List<DownSection> tracks, LocalEndpoint local, long sessionId, long version) {
        SessionDescription sd = SessionDescription.create(
                new Origin("-", Long.toString(sessionId), version, "IN", "IP4", "127.0.0.1"));
        List<String> bundle = new ArrayList<>();
        List<MediaSection> sections = new ArrayList<>();
        boolean av1 = false;
        for (DownSection t : tracks) {
            CodecTable.Entry codec = t.codec();
            // A detached section stays in the BUNDLE group as inactive, not rejected with port 0:
            // when it was the group's first section (a stream whose only track is replaced, e.g.
            // simulcast layers reordered), rejecting it makes Chromium start a new transport
            // that our ICE-lite/DTLS association never answers, and no media arrives.
            MediaSection m = MediaSection.create(t.kind(), 9, PROTO, List.of());
            m.setField('c', "IN IP4 0.0.0.0");
            m.setMid(t.mid());
            m.addCodec(withTransportCc(codec.toCodec()));
            // issue #14: every section (bundled: one transport) offers transport-wide sequence
            // numbers; a receiver that keeps them sends transport feedback, one that drops them
            // keeps sending REMB
            m.addExtMap(new ExtMap(DOWN_TRANSPORT_CC_ID, null, ExtMap.TRANSPORT_WIDE_CC, null));
            if (codec.name().equals("av1")) {
                m.addExtMap(new ExtMap(DOWN_DEPENDENCY_DESCRIPTOR_ID, null, DependencyDescriptor.URI, null));
                av1 = true;
            }
            if (t.rtxSsrc() != 0) {
                m.addCodec(CodecTable.rtxCodec(codec.rtxPayloadType(), codec.payloadType(), codec.clockRate()));
            }
            bundle.add(t.mid());
            if (t.active()) {
                m.setDirection(Direction.SENDONLY);
                m.setMsid(new Msid(t.streamId(), t.trackId()));
                m.addAttribute("rtcp-mux", null);
                if (t.rtxSsrc() != 0) {
                    m.addSsrcGroup(new SsrcGroup("FID", List.of(t.ssrc(), t.rtxSsrc())));
                }
                for (long ssrc : t.rtxSsrc() != 0 ? new long[]{t.ssrc(), t.rtxSsrc()} : new long[]{t.ssrc()}) {
                    m.addSsrcAttribute(new SsrcAttribute(ssrc, "cname", t.cname()));
                    m.addSsrcAttribute(new SsrcAttribute(ssrc, "msid", t.streamId() + " " + t.trackId()));
                }
            } else {
                m.setDirection(Direction.INACTIVE);
                m.addAttribute("rtcp-mux", null);
            }
            addTransport(m, local, Setup.ACTPASS);
            sections.add(m);
        }
        sessionAttributes(sd, bundle);
        if (av1) {
            sd.addAttribute(EXTMAP_ALLOW_MIXED, null);        // one- and two-byte descriptors (RFC 8285 §6)
        }
        sections.forEach(sd::addMedia);
        return sd;
    }

    /** The header extension id of transport-wide sequence numbers in offers to receivers. */
    public static final int DOWN_TRANSPORT_CC_ID = 3;
    /**
     * The header extension id of the AV1 dependency descriptor in offers to receivers (AV1
     * sections only). Forwarded AV1 packets carry it under this id; a receiver whose answer
     * dropped it ignores an id it does not know (RFC 8285 §4.1.1).
     */
    public static final int DOWN_DEPENDENCY_DESCRIPTOR_ID = 4;
    private static final String EXTMAP_ALLOW_MIXED = "extmap-allow-mixed";

    private static RtpCodec withTransportCc(RtpCodec c) {
        List<String> feedback = new ArrayList<>(c.feedback());
        feedback.add(CodecTable.TRANSPORT_CC);
        return new RtpCodec(c.payloadType(), c.name(), c.clockRate(), c.channels(), c.fmtp(), feedback);
    }

    /**
     * The transport-wide sequence number extension id a receiver's answer kept, with the
     * {@code transport-cc} feedback on a codec of the same section, or -1: then it gets no
     * numbers and its estimate stays its REMB.
     */
    public static int transportCcId(SessionDescription answer) {
        for (MediaSection m : answer.media()) {
            var id = m.extMapId(ExtMap.TRANSPORT_WIDE_CC);
            if (id.isPresent() && id.getAsInt() <= 14
                    && m.codecs().stream().anyMatch(c -> c.hasFeedback(CodecTable.TRANSPORT_CC))) {
                return id.getAsInt();
            }
        }
        return -1;
    }

    private static void addTransport(MediaSection m, LocalEndpoint local, Setup setup) {
        m.setIceCredentials(local.ufrag(), local.pwd());
        m.setFingerprint(local.fingerprint());
        m.setSetup(setup);
        for (Candidate c : local.candidates()) {
            m.addCandidate(c);
        }
        m.addAttribute("end-of-candidates", null);
    }

    private static void sessionAttributes(SessionDescription sd, List<String> bundle) {
        sd.addAttribute("ice-lite", null);
        if (!bundle.isEmpty()) {
            sd.addAttribute("group", "BUNDLE " + String.join(" ", bundle));
        }
        sd.addAttribute("msid-semantic", " WMS *");
    }

    private static Origin origin(long version) {
        return new Origin("-", Long.toString(RANDOM.nextLong() & Long.MAX_VALUE), version, "IN", "IP4", "127.0.0.1");
    }
}

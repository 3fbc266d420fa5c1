package dev.parley.rtc.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One m-section: the {@code m=} line plus its lines in order. Create with
 * {@link #create(String, int, String, List)} or obtain from {@link SessionDescription#parse}.
 */
public final class MediaSection extends SdpBlock {
    private String kind;
    private String port;
    private String proto;
    private final List<String> formats = new ArrayList<>();

    private MediaSection(String kind, String port, String proto, List<String> formats) {
        this.kind = kind;
        this.port = port;
        this.proto = proto;
        this.formats.addAll(formats);
    }

    /** A new, empty m-section, e.g. {@code create("video", 9, "UDP/TLS/RTP/SAVPF", List.of())}. */
    public static MediaSection create(String kind, int port, String proto, List<String> formats) {
        return new MediaSection(kind, Integer.toString(port), proto, formats);
    }

    static MediaSection parseMLine(String value) {
        List<String> t = Tokens.split(value);
        if (t.size() < 3) {
            throw new IllegalArgumentException("m= needs media, port and proto: '" + value + "'");
        }
        String port = t.get(1);
        int slash = port.indexOf('/');
        Tokens.parseInt(slash < 0 ? port : port.substring(0, slash), "m= port", 0, 65535);
        if (slash >= 0) {
            Tokens.parseInt(port.substring(slash + 1), "m= port count", 1, 65535);
        }
        return new MediaSection(t.get(0), port, t.get(2), t.subList(3, t.size()));
    }

    String formatMLine() {
        StringBuilder sb = new StringBuilder("m=").append(kind).append(' ').append(port).append(' ').append(proto);
        for (String f : formats) {
            sb.append(' ').append(f);
        }
        return sb.toString();
    }

    // ---- m= line ----

    /** {@code audio}, {@code video} or {@code application}. */
    public String kind() {
        return kind;
    }

    public boolean isAudio() {
        return kind.equals("audio");
    }

    public boolean isVideo() {
        return kind.equals("video");
    }

    public int port() {
        int slash = port.indexOf('/');
        return Integer.parseInt(slash < 0 ? port : port.substring(0, slash));
    }

    /** Port 0 means the section is rejected or stopped. */
    public void setPort(int port) {
        this.port = Integer.toString(port);
    }

    public String proto() {
        return proto;
    }

    /** Format list of the m= line as written (payload types for RTP). */
    public List<String> formats() {
        return Collections.unmodifiableList(formats);
    }

    public void setFormats(List<String> formats) {
        this.formats.clear();
        this.formats.addAll(formats);
    }

    /** The m= line formats as payload types; non-numeric formats are skipped. */
    public List<Integer> payloadTypes() {
        List<Integer> out = new ArrayList<>();
        for (String f : formats) {
            try {
                out.add(Integer.parseInt(f));
            } catch (NumberFormatException e) {
                // e.g. webrtc-datachannel
            }
        }
        return out;
    }

    // ---- identity and direction ----

    public Optional<String> mid() {
        return attribute("mid");
    }

    public void setMid(String mid) {
        setAttribute("mid", mid);
    }

    /** The direction attribute; {@code sendrecv} when absent (RFC 8866 default). */
    public Direction direction() {
        for (SdpLine l : lines) {
            if (l instanceof SdpLine.Attribute a && a.value() == null) {
                Direction d = Direction.fromAttribute(a.name());
                if (d != null) {
                    return d;
                }
            }
        }
        return Direction.SENDRECV;
    }

    /** Replaces the direction attribute in place, or appends one. */
    public void setDirection(Direction direction) {
        SdpLine.Attribute attr = new SdpLine.Attribute(direction.attributeName(), null);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i) instanceof SdpLine.Attribute a && a.value() == null
                    && Direction.fromAttribute(a.name()) != null) {
                lines.set(i, attr);
                return;
            }
        }
        lines.add(attr);
    }

    public Optional<Msid> msid() {
        return attribute("msid").map(Msid::parse);
    }

    public void setMsid(Msid msid) {
        setAttribute("msid", msid.format());
    }

    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    public boolean rtcpRsize() {
        return hasAttribute("rtcp-rsize");
    }

    // ---- codecs ----

    public List<RtpMap> rtpMaps() {
        return parsedAttributes("rtpmap", RtpMap::parse);
    }

    public List<Fmtp> fmtps() {
        return parsedAttributes("fmtp", Fmtp::parse);
    }

    public List<RtcpFb> rtcpFeedback() {
        return parsedAttributes("rtcp-fb", RtcpFb::parse);
    }

    /**
     * Codecs in m= line order, with fmtp and feedback attached. Payload types without an rtpmap
     * are skipped (static types such as 0 PCMU get their rtpmap from browsers anyway).
     */
    public List<RtpCodec> codecs() {
        List<RtpMap> maps = rtpMaps();
        List<Fmtp> fmtps = fmtps();
        List<RtcpFb> fbs = rtcpFeedback();
        List<RtpCodec> out = new ArrayList<>();
        for (int pt : payloadTypes()) {
            RtpMap map = null;
            for (RtpMap m : maps) {
                if (m.payloadType() == pt) {
                    map = m;
                    break;
                }
            }
            if (map == null) {
                continue;
            }
            String fmtp = null;
            for (Fmtp f : fmtps) {
                if (f.payloadType() == pt) {
                    fmtp = f.parameters();
                    break;
                }
            }
            List<String> fb = new ArrayList<>();
            for (RtcpFb f : fbs) {
                if (f.payloadType() == pt || f.payloadType() == RtcpFb.WILDCARD) {
                    fb.add(f.feedback());
                }
            }
            out.add(new RtpCodec(pt, map.encoding(), map.clockRate(), map.channels(), fmtp, fb));
        }
        return out;
    }

    public Optional<RtpCodec> codec(int payloadType) {
        return codecs().stream().filter(c -> c.payloadType() == payloadType).findFirst();
    }

    /**
     * Appends a codec: its payload type to the m= line and rtpmap, rtcp-fb and fmtp lines (in the
     * order Chromium writes them).
     */
    public void addCodec(RtpCodec codec) {
        String pt = Integer.toString(codec.payloadType());
        if (!formats.contains(pt)) {
            formats.add(pt);
        }
        addAttribute("rtpmap", new RtpMap(codec.payloadType(), codec.name(), codec.clockRate(), codec.channels())
                .format());
        for (String fb : codec.feedback()) {
            addAttribute("rtcp-fb", pt + " " + fb);
        }
        if (codec.fmtp() != null) {
            addAttribute("fmtp", new Fmtp(codec.payloadType(), codec.fmtp()).format());
        }
    }

    // ---- header extensions ----

    public List<ExtMap> extMaps() {
        return parsedAttributes("extmap", ExtMap::parse);
    }

    /** The id negotiated for an extension URI (e.g. {@link ExtMap#MID}), if any. */
    public OptionalInt extMapId(String uri) {
        for (ExtMap e : extMaps()) {
            if (e.uri().equals(uri)) {
                return OptionalInt.of(e.id());
            }
        }
        return OptionalInt.empty();
    }

    public void addExtMap(ExtMap extMap) {
        addAttribute("extmap", extMap.format());
    }

    // ---- simulcast ----

    public List<Rid> rids() {
        return parsedAttributes("rid", Rid::parse);
    }

    public Optional<Simulcast> simulcast() {
        return attribute("simulcast").map(Simulcast::parse);
    }

    // ---- SSRCs ----

    public List<SsrcAttribute> ssrcAttributes() {
        return parsedAttributes("ssrc", SsrcAttribute::parse);
    }

    public List<SsrcGroup> ssrcGroups() {
        return parsedAttributes("ssrc-group", SsrcGroup::parse);
    }

    /** Distinct SSRCs named by {@code a=ssrc} lines, in order of first appearance. */
    public List<Long> ssrcs() {
        LinkedHashSet<Long> set = new LinkedHashSet<>();
        for (SsrcAttribute a : ssrcAttributes()) {
            set.add(a.ssrc());
        }
        return List.copyOf(set);
    }

    /**
     * The media SSRCs: declared SSRCs minus the second member of each FID group (RTX) and of each
     * FEC-FR group.
     */
    public List<Long> mediaSsrcs() {
        List<Long> out = new ArrayList<>(ssrcs());
        for (SsrcGroup g : ssrcGroups()) {
            if ((g.semantics().equals("FID") || g.semantics().equals("FEC-FR")) && g.ssrcs().size() > 1) {
                out.removeAll(g.ssrcs().subList(1, g.ssrcs().size()));
            }
        }
        return out;
    }

    /** {@code a=ssrc:<ssrc> cname:...} value, if declared. */
    public Optional<String> cname(long ssrc) {
        for (SsrcAttribute a : ssrcAttributes()) {
            if (a.ssrc() == ssrc && a.attribute().equals("cname")) {
                return Optional.ofNullable(a.value());
            }
        }
        return Optional.empty();
    }

    public void addSsrcAttribute(SsrcAttribute attribute) {
        addAttribute("ssrc", attribute.format());
    }

    public void addSsrcGroup(SsrcGroup group) {
        addAttribute("ssrc-group", group.format());
    }
}

package dev.parley.rtc.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A parsed SDP description (RFC 8866 with the WebRTC attributes of RFC 8829): the session-level
 * lines in order ({@code o=}, {@code s=}, {@code t=}, attributes...) and the m-sections.
 *
 * <p>{@link #parse} keeps every line, known or not, so {@link #toString()} writes the same text
 * back (CRLF line endings). Mutators edit lines in place. Not thread-safe.
 */
public final class SessionDescription extends SdpBlock {
    private final List<MediaSection> media = new ArrayList<>();

    private SessionDescription() {
    }

    /** A new description with {@code o=}, {@code s=-} and {@code t=0 0}, and no m-sections. */
    public static SessionDescription create(Origin origin) {
        SessionDescription sd = new SessionDescription();
        sd.lines.add(new SdpLine.Field('o', origin.format()));
        sd.lines.add(new SdpLine.Field('s', "-"));
        sd.lines.add(new SdpLine.Field('t', "0 0"));
        return sd;
    }

    /**
     * Parses SDP with CRLF or LF line endings; blank lines are ignored.
     *
     * @throws SdpParseException naming the line, for anything we cannot read
     */
    public static SessionDescription parse(String text) {
        if (text == null || text.isBlank()) {
            throw new SdpParseException("empty SDP");
        }
        String[] raw = text.split("\r?\n", -1);
        SessionDescription sd = new SessionDescription();
        SdpBlock current = sd;
        boolean sawVersion = false;
        for (int i = 0; i < raw.length; i++) {
            int lineNo = i + 1;
            String line = raw[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new SdpParseException("not a '<type>=<value>' line: '" + abbreviate(line) + "'", lineNo, null);
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            try {
                if (!sawVersion) {
                    if (type != 'v' || !value.equals("0")) {
                        throw new IllegalArgumentException("SDP must start with v=0");
                    }
                    sawVersion = true;
                    continue;
                }
                switch (type) {
                    case 'v' -> throw new IllegalArgumentException("duplicate v= line");
                    case 'm' -> {
                        MediaSection m = MediaSection.parseMLine(value);
                        sd.media.add(m);
                        current = m;
                    }
                    case 'a' -> {
                        SdpLine.Attribute a = SdpLine.Attribute.parse(value);
                        validate(a);
                        current.lines.add(a);
                    }
                    case 'o' -> {
                        if (current != sd) {
                            throw new IllegalArgumentException("o= inside a media section");
                        }
                        Origin.parse(value);
                        current.lines.add(new SdpLine.Field(type, value));
                    }
                    default -> current.lines.add(new SdpLine.Field(type, value));
                }
            } catch (SdpParseException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(e.getMessage() + " in '" + abbreviate(line) + "'", lineNo, e);
            }
        }
        if (!sawVersion) {
            throw new SdpParseException("SDP must start with v=0");
        }
        for (char required : new char[] {'o', 's', 't'}) {
            if (sd.field(required).isEmpty()) {
                throw new SdpParseException("SDP is missing its " + required + "= line");
            }
        }
        return sd;
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }

    /** Writes the description with CRLF line endings, ending with CRLF. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("v=0\r\n");
        for (SdpLine l : lines) {
            sb.append(l.format()).append("\r\n");
        }
        for (MediaSection m : media) {
            sb.append(m.formatMLine()).append("\r\n");
            for (SdpLine l : m.lines) {
                sb.append(l.format()).append("\r\n");
            }
        }
        return sb.toString();
    }

    // ---- session fields ----

    public Origin origin() {
        return Origin.parse(field('o').orElseThrow());
    }

    public void setOrigin(Origin origin) {
        setField('o', origin.format());
    }

    public String sessionName() {
        return field('s').orElse("-");
    }

    // ---- media sections ----

    public List<MediaSection> media() {
        return Collections.unmodifiableList(media);
    }

    public void addMedia(MediaSection section) {
        media.add(section);
    }

    public void removeMedia(MediaSection section) {
        media.remove(section);
    }

    public Optional<MediaSection> mediaByMid(String mid) {
        for (MediaSection m : media) {
            if (m.mid().filter(mid::equals).isPresent()) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    // ---- session attributes ----

    public List<Group> groups() {
        return parsedAttributes("group", Group::parse);
    }

    /** The mids of {@code a=group:BUNDLE}, or an empty list. */
    public List<String> bundleMids() {
        for (Group g : groups()) {
            if (g.semantics().equals("BUNDLE")) {
                return g.mids();
            }
        }
        return List.of();
    }

    public void setBundle(List<String> mids) {
        List<String> all = new ArrayList<>();
        all.add("BUNDLE");
        all.addAll(mids);
        // keep other group semantics untouched, replace only BUNDLE
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i) instanceof SdpLine.Attribute a && a.name().equals("group")
                    && Group.parse(a.value()).semantics().equals("BUNDLE")) {
                lines.set(i, new SdpLine.Attribute("group", String.join(" ", all)));
                return;
            }
        }
        addAttribute("group", String.join(" ", all));
    }

    /** {@code a=msid-semantic} trimmed, e.g. {@code "WMS *"}. */
    public Optional<String> msidSemantic() {
        return attribute("msid-semantic").map(String::trim);
    }

    public boolean iceLite() {
        return hasAttribute("ice-lite");
    }

    public void setIceLite(boolean lite) {
        if (lite) {
            setAttribute("ice-lite", null);
        } else {
            removeAttributes("ice-lite");
        }
    }

    /**
     * ICE ufrag of an m-section: its own {@code a=ice-ufrag}, else the session-level one.
     */
    public Optional<String> iceUfrag(MediaSection m) {
        return m.iceUfrag().or(this::iceUfrag);
    }

    public Optional<String> icePwd(MediaSection m) {
        return m.icePwd().or(this::icePwd);
    }

    /** Fingerprint of an m-section, falling back to the session level (Firefox puts it there). */
    public Optional<Fingerprint> fingerprint(MediaSection m) {
        return m.fingerprint().or(this::fingerprint);
    }

    public Optional<Setup> setup(MediaSection m) {
        return m.setup().or(this::setup);
    }
}

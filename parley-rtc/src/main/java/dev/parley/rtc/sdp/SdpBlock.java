package dev.parley.rtc.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * An ordered list of SDP lines: the session part or one m-section. Lines are stored verbatim;
 * typed accessors parse on demand and setters edit the list in place, so unknown attributes keep
 * their position and parse → write round-trips byte for byte.
 *
 * <p>Not thread-safe: an SDP is built or read by one thread (signalling), never on the media path.
 */
public abstract sealed class SdpBlock permits SessionDescription, MediaSection {
    final List<SdpLine> lines = new ArrayList<>();

    /** All lines of this block in order (the m= line of a media section excluded). */
    public List<SdpLine> lines() {
        return Collections.unmodifiableList(lines);
    }

    // ---- generic attribute access ----

    /** Value of the first {@code a=name}; empty if absent; "" for a property attribute. */
    public Optional<String> attribute(String name) {
        for (SdpLine l : lines) {
            if (l instanceof SdpLine.Attribute a && a.name().equals(name)) {
                return Optional.of(a.value() == null ? "" : a.value());
            }
        }
        return Optional.empty();
    }

    /** Values of every {@code a=name}, in order. */
    public List<String> attributes(String name) {
        List<String> out = new ArrayList<>();
        for (SdpLine l : lines) {
            if (l instanceof SdpLine.Attribute a && a.name().equals(name)) {
                out.add(a.value() == null ? "" : a.value());
            }
        }
        return out;
    }

    public boolean hasAttribute(String name) {
        return attribute(name).isPresent();
    }

    /** Appends {@code a=name[:value]} at the end of the block. */
    public void addAttribute(String name, String value) {
        lines.add(new SdpLine.Attribute(name, value));
    }

    /**
     * Replaces the first {@code a=name} in place (dropping later duplicates), or appends it.
     * A null value writes a property attribute.
     */
    public void setAttribute(String name, String value) {
        SdpLine.Attribute replacement = new SdpLine.Attribute(name, value);
        boolean done = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i) instanceof SdpLine.Attribute a && a.name().equals(name)) {
                if (!done) {
                    lines.set(i, replacement);
                    done = true;
                } else {
                    lines.remove(i--);
                }
            }
        }
        if (!done) {
            lines.add(replacement);
        }
    }

    /** Removes every {@code a=name}; returns how many were removed. */
    public int removeAttributes(String name) {
        int before = lines.size();
        lines.removeIf(l -> l instanceof SdpLine.Attribute a && a.name().equals(name));
        return before - lines.size();
    }

    /** Value of the first non-attribute line of the given type ({@code c}, {@code b}, ...). */
    public Optional<String> field(char type) {
        for (SdpLine l : lines) {
            if (l instanceof SdpLine.Field f && f.type() == type) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /** Replaces the first line of that type in place, or inserts it before the first attribute. */
    public void setField(char type, String value) {
        SdpLine.Field replacement = new SdpLine.Field(type, value);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i) instanceof SdpLine.Field f && f.type() == type) {
                lines.set(i, replacement);
                return;
            }
        }
        int at = 0;
        while (at < lines.size() && lines.get(at) instanceof SdpLine.Field) {
            at++;
        }
        lines.add(at, replacement);
    }

    <T> List<T> parsedAttributes(String name, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (String v : attributes(name)) {
            out.add(parser.apply(v));
        }
        return out;
    }

    // ---- attributes valid both at session and media level ----

    public Optional<String> iceUfrag() {
        return attribute("ice-ufrag");
    }

    public Optional<String> icePwd() {
        return attribute("ice-pwd");
    }

    public void setIceCredentials(String ufrag, String pwd) {
        setAttribute("ice-ufrag", ufrag);
        setAttribute("ice-pwd", pwd);
    }

    /** Tokens of {@code a=ice-options}, e.g. {@code trickle}, {@code ice2}. */
    public List<String> iceOptions() {
        return attribute("ice-options").map(Tokens::split).orElse(List.of());
    }

    public List<Fingerprint> fingerprints() {
        return parsedAttributes("fingerprint", Fingerprint::parse);
    }

    public Optional<Fingerprint> fingerprint() {
        return attribute("fingerprint").map(Fingerprint::parse);
    }

    public void setFingerprint(Fingerprint fingerprint) {
        setAttribute("fingerprint", fingerprint.format());
    }

    public Optional<Setup> setup() {
        return attribute("setup").map(Setup::parse);
    }

    public void setSetup(Setup setup) {
        setAttribute("setup", setup.value());
    }

    public List<Candidate> candidates() {
        return parsedAttributes("candidate", Candidate::parse);
    }

    /** Appends {@code a=candidate:...}. */
    public void addCandidate(Candidate candidate) {
        addAttribute("candidate", candidate.format().substring("candidate:".length()));
    }

    public boolean endOfCandidates() {
        return hasAttribute("end-of-candidates");
    }

    /**
     * Checks the attributes we interpret, so that malformed SDP fails at parse time with the line
     * number rather than later in a getter.
     */
    static void validate(SdpLine.Attribute a) {
        String v = a.value();
        switch (a.name()) {
            case "rtpmap" -> RtpMap.parse(required(a));
            case "fmtp" -> Fmtp.parse(required(a));
            case "rtcp-fb" -> RtcpFb.parse(required(a));
            case "extmap" -> ExtMap.parse(required(a));
            case "rid" -> Rid.parse(required(a));
            case "simulcast" -> Simulcast.parse(required(a));
            case "ssrc" -> SsrcAttribute.parse(required(a));
            case "ssrc-group" -> SsrcGroup.parse(required(a));
            case "msid" -> Msid.parse(required(a));
            case "fingerprint" -> Fingerprint.parse(required(a));
            case "setup" -> Setup.parse(required(a));
            case "candidate" -> Candidate.parse(required(a));
            case "group" -> Group.parse(required(a));
            case "mid", "ice-ufrag", "ice-pwd" -> {
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException("a=" + a.name() + " without a value");
                }
            }
            default -> {
                // unknown or uninterpreted attributes are kept as they are
            }
        }
    }

    private static String required(SdpLine.Attribute a) {
        if (a.value() == null) {
            throw new IllegalArgumentException("a=" + a.name() + " without a value");
        }
        return a.value();
    }
}

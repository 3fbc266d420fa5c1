package dev.parley.rtc.sdp;

import java.util.ArrayList;
import java.util.List;

/** {@code a=ssrc-group:<semantics> <ssrc>...}, e.g. {@code FID} (media + RTX) or {@code SIM}. */
public record SsrcGroup(String semantics, List<Long> ssrcs) {
    public SsrcGroup {
        ssrcs = List.copyOf(ssrcs);
    }

    public static SsrcGroup parse(String value) {
        List<String> t = Tokens.split(value);
        if (t.size() < 2) {
            throw new IllegalArgumentException("ssrc-group needs semantics and ssrcs: '" + value + "'");
        }
        List<Long> ssrcs = new ArrayList<>();
        for (String s : t.subList(1, t.size())) {
            ssrcs.add(Tokens.ssrc(s));
        }
        return new SsrcGroup(t.get(0), ssrcs);
    }

    public String format() {
        StringBuilder sb = new StringBuilder(semantics);
        for (long s : ssrcs) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }
}

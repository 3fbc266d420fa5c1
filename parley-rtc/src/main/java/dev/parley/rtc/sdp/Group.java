package dev.parley.rtc.sdp;

import java.util.List;

/** {@code a=group:<semantics> <mid>...}, e.g. {@code BUNDLE 0 1}. */
public record Group(String semantics, List<String> mids) {
    public Group {
        mids = List.copyOf(mids);
    }

    public static Group parse(String value) {
        List<String> t = Tokens.split(value);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty group");
        }
        return new Group(t.get(0), t.subList(1, t.size()));
    }

    public String format() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }
}

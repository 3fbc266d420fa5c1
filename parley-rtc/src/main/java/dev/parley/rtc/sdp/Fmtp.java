package dev.parley.rtc.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code a=fmtp:<pt> <parameters>}; parameters are kept verbatim and also offered as a map. */
public record Fmtp(int payloadType, String parameters) {

    public static Fmtp parse(String value) {
        int sp = value.indexOf(' ');
        if (sp < 0) {
            throw new IllegalArgumentException("fmtp without parameters: '" + value + "'");
        }
        return new Fmtp(Tokens.payloadType(value.substring(0, sp)), value.substring(sp + 1).trim());
    }

    public String format() {
        return payloadType + " " + parameters;
    }

    /**
     * The {@code key=value} pairs in order; a token without '=' (e.g. {@code 0-15} for
     * telephone-event, {@code 111/111} for red) maps to the empty string.
     */
    public Map<String, String> parameterMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : parameters.split(";")) {
            String s = p.trim();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            if (eq < 0) {
                m.put(s, "");
            } else {
                m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
            }
        }
        return Collections.unmodifiableMap(m);
    }

    public String parameter(String key) {
        return parameterMap().get(key);
    }
}

package dev.parley.rtc.sdp;

import java.util.Locale;

/** DTLS role attribute {@code a=setup} (RFC 4145, RFC 5763). */
public enum Setup {
    ACTPASS, ACTIVE, PASSIVE, HOLDCONN;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Setup parse(String value) {
        for (Setup s : values()) {
            if (s.value().equals(value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown setup role '" + value + "'");
    }
}

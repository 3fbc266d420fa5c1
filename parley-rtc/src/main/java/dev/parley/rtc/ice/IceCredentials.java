package dev.parley.rtc.ice;

import java.security.SecureRandom;

/** An ICE username fragment and password (RFC 8445 §5.3: ufrag ≥ 4, pwd ≥ 22 ice-chars). */
public record IceCredentials(String ufrag, String password) {
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();

    public IceCredentials {
        if (ufrag == null || ufrag.isEmpty() || ufrag.indexOf(':') >= 0) {
            throw new IllegalArgumentException("bad ICE ufrag: " + ufrag);
        }
        if (password == null) throw new IllegalArgumentException("null ICE password");
    }

    /** Fresh random credentials: 8-character ufrag (48 bits), 24-character password (144 bits). */
    public static IceCredentials random() {
        return new IceCredentials(randomString(8), randomString(24));
    }

    private static String randomString(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) c[i] = ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length()));
        return new String(c);
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]"; // never log the password
    }
}

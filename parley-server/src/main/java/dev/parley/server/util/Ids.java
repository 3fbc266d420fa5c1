package dev.parley.server.util;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random identifiers in the formats of L14. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    /** 8 random bytes, base64url without padding: chat ids and token names. */
    public static String shortId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** 16 random bytes in hex: recorder ids. */
    public static String hexId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

package dev.parley.rtc.sdp;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** {@code a=fingerprint:<hash> <AB:CD:...>} (RFC 8122). */
public record Fingerprint(String algorithm, String value) {

    public static Fingerprint parse(String text) {
        List<String> t = Tokens.split(text);
        if (t.size() != 2) {
            throw new IllegalArgumentException("fingerprint needs hash and value: '" + text + "'");
        }
        Fingerprint f = new Fingerprint(t.get(0), t.get(1));
        f.bytes(); // validates the hex
        return f;
    }

    /** Builds the fingerprint of a certificate digest: upper-case, colon separated. */
    public static Fingerprint of(String algorithm, byte[] digest) {
        return new Fingerprint(algorithm, HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
    }

    public byte[] bytes() {
        try {
            return HexFormat.ofDelimiter(":").parseHex(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad fingerprint hex '" + value + "'");
        }
    }

    public String format() {
        return algorithm + " " + value;
    }

    /** Compares with a digest, ignoring the case of the algorithm name and of the hex. */
    public boolean matches(String algorithm, byte[] digest) {
        return this.algorithm.toLowerCase(Locale.ROOT).equals(algorithm.toLowerCase(Locale.ROOT))
                && java.util.Arrays.equals(bytes(), digest);
    }
}

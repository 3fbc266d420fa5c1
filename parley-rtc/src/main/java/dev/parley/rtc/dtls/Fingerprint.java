package dev.parley.rtc.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** Certificate fingerprints in SDP form (RFC 8122 §5): {@code sha-256 AB:CD:...}. */
public record Fingerprint(String hashFunction, String value) {
    public Fingerprint {
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        value = value.toUpperCase(Locale.ROOT);
    }

    /** The SHA-256 fingerprint of a DER-encoded certificate. */
    public static Fingerprint sha256(byte[] der) {
        return of("sha-256", der);
    }

    /** The fingerprint of {@code der} with the named SDP hash function. */
    public static Fingerprint of(String hashFunction, byte[] der) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance(jcaName(hashFunction)).digest(der);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported fingerprint hash " + hashFunction, e);
        }
        return new Fingerprint(hashFunction, HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
    }

    /**
     * Parses the value of an {@code a=fingerprint:} attribute, e.g. {@code sha-256 AB:CD:...}.
     *
     * @throws IllegalArgumentException if it is not "hash-function SP hex:pairs" with a known hash
     */
    public static Fingerprint parse(String attributeValue) {
        String s = attributeValue.strip();
        int sp = s.indexOf(' ');
        if (sp <= 0) throw new IllegalArgumentException("fingerprint without hash function: " + attributeValue);
        String hash = s.substring(0, sp).toLowerCase(Locale.ROOT);
        String hex = s.substring(sp + 1).strip();
        jcaName(hash);
        if (!hex.matches("(?i)[0-9a-f]{2}(:[0-9a-f]{2})+")) {
            throw new IllegalArgumentException("fingerprint value is not colon-separated hex: " + hex);
        }
        return new Fingerprint(hash, hex);
    }

    /** True if {@code der} hashes to this fingerprint. */
    public boolean matches(byte[] der) {
        return MessageDigest.isEqual(
                of(hashFunction, der).value.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                value.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static String jcaName(String sdpName) {
        return switch (sdpName.toLowerCase(Locale.ROOT)) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported fingerprint hash " + sdpName);
        };
    }

    /** The SDP attribute value: {@code sha-256 AB:CD:...}. */
    @Override
    public String toString() {
        return hashFunction + " " + value;
    }
}

package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Verifies JWTs against a group's {@code authKeys} (D12–D16). */
final class JwtVerifier {
    static final Duration SKEW = Duration.ofSeconds(5);

    sealed interface Outcome {
    }

    /** Not syntactically a JWT: the caller looks it up as a stateful token name (D8). */
    record NotJwt() implements Outcome {
    }

    record Rejected(String reason) implements Outcome {
    }

    /** @param subject the {@code sub} claim, null or possibly empty */
    record Accepted(String subject, List<String> permissions) implements Outcome {
    }

    private JwtVerifier() {
    }

    /**
     * @param canonicalHost compared with the audience's host when non-null and non-empty
     */
    static Outcome verify(String token, String group, List<JsonNode> authKeys, String canonicalHost, Instant now) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return new NotJwt();
        }
        JWT parsed;
        JWTClaimsSet claims;
        try {
            parsed = JWTParser.parse(token);
            claims = parsed.getJWTClaimsSet();
        } catch (ParseException e) {
            return new NotJwt();
        }
        if (!(parsed instanceof SignedJWT signed)) {
            return new Rejected("unsigned JWT");
        }
        String alg = signed.getHeader().getAlgorithm().getName();
        if (alg.isEmpty() || alg.equalsIgnoreCase("none")) {
            return new Rejected("bad alg");
        }
        String kid = signed.getHeader().getKeyID();
        List<JWSVerifier> verifiers = new ArrayList<>();
        for (JsonNode key : authKeys) {
            if (!alg.equals(text(key, "alg"))) {
                continue;
            }
            if (kid != null && !kid.isEmpty() && !kid.equals(text(key, "kid"))) {
                continue;
            }
            try {
                verifiers.add(verifierFor(key));
            } catch (InvalidKeyException e) {
                return new Rejected("malformed key: " + e.getMessage());
            }
        }
        if (!verifies(signed, verifiers)) {
            return new Rejected("signature not verified");
        }
        String timeProblem = checkTimes(claims, now);
        if (timeProblem != null) {
            return new Rejected(timeProblem);
        }
        Object includeClaim = claims.getClaim("include-subgroups");
        boolean includeSubgroups = includeClaim instanceof Boolean b && b;
        if (!Audience.matches(claims.getAudience(), group, includeSubgroups, canonicalHost)) {
            return new Rejected("token for wrong group");
        }
        Object permissionsClaim = claims.getClaim("permissions");
        List<String> permissions = new ArrayList<>();
        if (permissionsClaim != null) {
            if (!(permissionsClaim instanceof List<?> list)) {
                return new Rejected("invalid permissions");
            }
            for (Object p : list) {
                if (!(p instanceof String s)) {
                    return new Rejected("invalid permissions");
                }
                permissions.add(s);
            }
        }
        return new Accepted(claims.getSubject(), permissions);
    }

    private static boolean verifies(SignedJWT signed, List<JWSVerifier> verifiers) {
        for (JWSVerifier verifier : verifiers) {
            try {
                if (signed.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException | IllegalStateException e) {
                // a key that cannot verify this token is simply not the right key
            }
        }
        return false;
    }

    private static String checkTimes(JWTClaimsSet claims, Instant now) {
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return "token has no expiry";
        }
        if (now.isAfter(exp.toInstant().plus(SKEW))) {
            return "token has expired";
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(SKEW).isBefore(nbf.toInstant())) {
            return "token is not valid yet";
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.plus(SKEW).isBefore(iat.toInstant())) {
            return "token issued in the future";
        }
        return null;
    }

    // --- keys (D13) ---

    private static final class InvalidKeyException extends Exception {
        InvalidKeyException(String message) {
            super(message);
        }
    }

    private static JWSVerifier verifierFor(JsonNode key) throws InvalidKeyException {
        String kty = text(key, "kty");
        String alg = text(key, "alg");
        if (kty == null) {
            throw new InvalidKeyException("kty not found");
        }
        if (alg == null) {
            throw new InvalidKeyException("alg not found");
        }
        try {
            return switch (kty) {
                case "oct" -> macVerifier(key, alg);
                case "EC" -> ecVerifier(key, alg);
                case "RSA" -> rsaVerifier(key, alg);
                default -> throw new InvalidKeyException("unknown key type");
            };
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            // nimbus reports invalid keys (e.g. points off the curve) with various unchecked exceptions
            throw new InvalidKeyException(String.valueOf(e.getMessage()));
        }
    }

    private static JWSVerifier macVerifier(JsonNode key, String alg) throws InvalidKeyException, JOSEException {
        int length = switch (alg) {
            case "HS256" -> 32;
            case "HS384" -> 48;
            case "HS512" -> 64;
            default -> throw new InvalidKeyException("unknown alg");
        };
        byte[] k = base64(key, "k");
        if (k.length != length) {
            throw new InvalidKeyException("bad length for key");
        }
        return new MACVerifier(k);
    }

    private static JWSVerifier ecVerifier(JsonNode key, String alg) throws InvalidKeyException, JOSEException {
        if (!alg.equals("ES256")) {
            throw new InvalidKeyException("unknown alg");
        }
        if (!"P-256".equals(text(key, "crv"))) {
            throw new InvalidKeyException("unknown crv");
        }
        byte[] x = base64(key, "x");
        byte[] y = base64(key, "y");
        // ECKey refuses points that are not on the curve.
        ECKey ecKey = new ECKey.Builder(Curve.P_256, Base64URL.encode(unsigned(x, 32)), Base64URL.encode(unsigned(y, 32)))
                .build();
        return new ECDSAVerifier(ecKey);
    }

    private static JWSVerifier rsaVerifier(JsonNode key, String alg)
            throws InvalidKeyException, GeneralSecurityException {
        if (!alg.equals("RS256")) {
            throw new InvalidKeyException("unknown alg");
        }
        byte[] n = base64(key, "n");
        byte[] e = base64(key, "e");
        if (e.length > 8) {
            throw new InvalidKeyException("unsupported e");
        }
        BigInteger modulus = new BigInteger(1, n);
        BigInteger exponent = new BigInteger(1, e);
        if (modulus.signum() == 0 || exponent.signum() == 0) {
            throw new InvalidKeyException("bad RSA key");
        }
        RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(modulus, exponent));
        return new RSASSAVerifier(publicKey);
    }

    /** A coordinate as a fixed-width big-endian number, tolerating stripped leading zeros. */
    private static byte[] unsigned(byte[] value, int width) throws InvalidKeyException {
        BigInteger v = new BigInteger(1, value);
        byte[] raw = v.toByteArray();
        int start = raw.length > width && raw[0] == 0 ? 1 : 0;
        int len = raw.length - start;
        if (len > width) {
            throw new InvalidKeyException("coordinate too large");
        }
        byte[] out = new byte[width];
        System.arraycopy(raw, start, out, width - len, len);
        return out;
    }

    private static byte[] base64(JsonNode key, String field) throws InvalidKeyException {
        String value = text(key, field);
        if (value == null) {
            throw new InvalidKeyException("key " + field + " not found");
        }
        if (value.indexOf('=') >= 0) {
            throw new InvalidKeyException("padded base64 in " + field);
        }
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("bad base64 in " + field);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** Validates a JWK as D13 requires, for the API's key upload (H57). */
    static void validateKey(JsonNode key) throws IllegalArgumentException {
        try {
            verifierFor(key);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}

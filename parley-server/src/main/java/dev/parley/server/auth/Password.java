package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.protocol.Json;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A stored password as found in user descriptions (D2–D5). Parsing never fails: a record that
 * cannot be evaluated becomes {@link Malformed}, which only complains when it is matched, because
 * that is when the reference reports it (as an internal error).
 */
public sealed interface Password
        permits Password.Plain, Password.Pbkdf2, Password.Bcrypt, Password.Wildcard, Password.Never,
        Password.Malformed {

    int SERVER_BCRYPT_COST = 8;
    int MAX_BCRYPT_BYTES = 72;

    /** Whether {@code given} is accepted; hashing variants may block (bounded by D6). */
    boolean matches(String given) throws MalformedPasswordException;

    /** The JSON form for writing the description back. */
    JsonNode toJson();

    /** Decodes a {@code password} value; {@code null}, missing or JSON null give {@link Never}. */
    static Password parse(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return new Never(null);
        }
        if (node.isTextual()) {
            return new Plain(node.asText());
        }
        if (!node.isObject()) {
            return new Malformed("password is neither a string nor an object", node);
        }
        JsonNode type = node.get("type");
        if (type == null || type.isNull() || (type.isTextual() && type.asText().isEmpty())) {
            return new Never(node);
        }
        if (!type.isTextual()) {
            return new Malformed("password type is not a string", node);
        }
        return switch (type.asText()) {
            case "plain" -> {
                JsonNode key = node.get("key");
                yield key != null && key.isTextual()
                        ? new Plain(key.asText())
                        : new Malformed("missing key", node);
            }
            case "wildcard" -> new Wildcard();
            case "bcrypt" -> {
                JsonNode key = node.get("key");
                yield key != null && key.isTextual() && !key.asText().isEmpty()
                        ? new Bcrypt(key.asText())
                        : new Malformed("missing key", node);
            }
            case "pbkdf2" -> parsePbkdf2(node);
            default -> new Malformed("unknown password type " + type.asText(), node);
        };
    }

    private static Password parsePbkdf2(JsonNode node) {
        JsonNode hash = node.get("hash");
        if (hash == null || !"sha-256".equals(hash.asText(null))) {
            return new Malformed("unknown hash type", node);
        }
        JsonNode key = node.get("key");
        if (key == null || !key.isTextual() || key.asText().isEmpty()) {
            return new Malformed("missing key", node);
        }
        JsonNode salt = node.get("salt");
        if (salt != null && !salt.isNull() && !salt.isTextual()) {
            return new Malformed("salt is not a string", node);
        }
        JsonNode iterations = node.get("iterations");
        if (iterations != null && !iterations.isNull()
                && (!iterations.isIntegralNumber() || !iterations.canConvertToInt())) {
            return new Malformed("bad iteration count", node);
        }
        // Like the reference, a missing or non-positive count derives with a single iteration.
        int count = iterations == null ? 1 : Math.max(1, iterations.asInt());
        try {
            byte[] keyBytes = HexFormat.of().parseHex(key.asText());
            byte[] saltBytes = salt == null || salt.isNull()
                    ? new byte[0] : HexFormat.of().parseHex(salt.asText());
            return new Pbkdf2(keyBytes, saltBytes, count);
        } catch (IllegalArgumentException e) {
            return new Malformed("bad hex", node);
        }
    }

    /**
     * Hashes a new password the way the server stores them (H56 POST): bcrypt, cost 8, {@code $2a$}.
     * Blocks for the hashing (bounded by D6).
     *
     * @throws IllegalArgumentException if the password is longer than 72 UTF-8 bytes (an internal error)
     */
    static Password bcrypt(String plain) {
        if (plain.getBytes(StandardCharsets.UTF_8).length > MAX_BCRYPT_BYTES) {
            // bcrypt ignores everything after 72 bytes; the reference refuses such passwords.
            throw new IllegalArgumentException("password length exceeds 72 bytes");
        }
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String hash = HashingGate.run(() ->
                OpenBSDBCrypt.generate("2a", plain.toCharArray(), salt, SERVER_BCRYPT_COST));
        return new Bcrypt(hash);
    }

    /** The password that never matches, as stored by a password DELETE (H56). */
    static Password none() {
        return new Never(null);
    }

    /** A plain password, compared in constant time. */
    record Plain(String key) implements Password {
        public Plain {
            Objects.requireNonNull(key);
        }

        @Override
        public boolean matches(String given) {
            if (given == null) {
                return false;
            }
            // Comparing digests hides the length of the stored password as well as its content.
            return MessageDigest.isEqual(sha256(key), sha256(given));
        }

        @Override
        public JsonNode toJson() {
            return Json.text(key);
        }

        private static byte[] sha256(String s) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is always available", e);
            }
        }

        @Override
        public String toString() {
            return "Plain[***]";
        }
    }

    /** PBKDF2 with HMAC-SHA-256 (D3); the stored key's length sets the derived-key length. */
    record Pbkdf2(byte[] key, byte[] salt, int iterations) implements Password {
        public Pbkdf2 {
            key = key.clone();
            salt = salt.clone();
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public boolean matches(String given) {
            if (given == null) {
                return false;
            }
            byte[] derived = HashingGate.run(() -> derive(given, salt, iterations, key.length));
            return MessageDigest.isEqual(key, derived);
        }

        static byte[] derive(String password, byte[] salt, int iterations, int length) {
            PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
            generator.init(PBEParametersGenerator.PKCS5PasswordToUTF8Bytes(password.toCharArray()),
                    salt, iterations);
            return ((KeyParameter) generator.generateDerivedParameters(length * 8)).getKey();
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = Json.object();
            o.put("type", "pbkdf2");
            o.put("hash", "sha-256");
            o.put("key", HexFormat.of().formatHex(key));
            o.put("salt", HexFormat.of().formatHex(salt));
            o.put("iterations", iterations);
            return o;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pbkdf2 p && MessageDigest.isEqual(key, p.key)
                    && MessageDigest.isEqual(salt, p.salt) && iterations == p.iterations;
        }

        @Override
        public int hashCode() {
            return iterations;
        }

        @Override
        public String toString() {
            return "Pbkdf2[iterations=" + iterations + "]";
        }
    }

    /** A bcrypt hash string ({@code $2a$}, {@code $2b$}, {@code $2y$}) (D4). */
    record Bcrypt(String hash) implements Password {
        public Bcrypt {
            Objects.requireNonNull(hash);
        }

        @Override
        public boolean matches(String given) throws MalformedPasswordException {
            if (given == null) {
                return false;
            }
            try {
                return HashingGate.run(() -> OpenBSDBCrypt.checkPassword(hash, given.toCharArray()));
            } catch (RuntimeException e) {
                // BouncyCastle signals a malformed hash (and over-long passwords) with unchecked exceptions.
                throw new MalformedPasswordException("bad bcrypt hash: " + e.getMessage());
            }
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = Json.object();
            o.put("type", "bcrypt");
            o.put("key", hash);
            return o;
        }

        @Override
        public String toString() {
            return "Bcrypt[***]";
        }
    }

    /** Matches any password. */
    record Wildcard() implements Password {
        @Override
        public boolean matches(String given) {
            return true;
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = Json.object();
            o.put("type", "wildcard");
            return o;
        }
    }

    /** A missing password or one with a missing/empty type: never matches (D2, DF3). */
    record Never(JsonNode source) implements Password {
        @Override
        public boolean matches(String given) {
            return false;
        }

        @Override
        public JsonNode toJson() {
            return source == null ? Json.object() : source.deepCopy();
        }
    }

    /** A record that cannot be evaluated (D5); kept verbatim so that writing back loses nothing. */
    record Malformed(String reason, JsonNode source) implements Password {
        @Override
        public boolean matches(String given) throws MalformedPasswordException {
            throw new MalformedPasswordException(reason);
        }

        @Override
        public JsonNode toJson() {
            return source.deepCopy();
        }
    }
}

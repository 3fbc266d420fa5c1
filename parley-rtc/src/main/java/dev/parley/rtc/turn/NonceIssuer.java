package dev.parley.rtc.turn;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.LongSupplier;

/**
 * Stateless nonces (RFC 8489 §9.2): the expiry time and a MAC over it and the client's transport address. The
 * server keeps nothing per client before authentication, and a nonce cannot be replayed from
 * another address or port or after it expires. Used on the TURN event loop only.
 */
final class NonceIssuer {
    private static final int MAC_BYTES = 12;
    private final Mac mac;
    private final long lifetimeMillis;
    private final LongSupplier clock;

    NonceIssuer(long lifetimeMillis, LongSupplier clock) {
        this.lifetimeMillis = lifetimeMillis;
        this.clock = clock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    String issue(InetSocketAddress client) {
        long expiry = clock.getAsLong() + lifetimeMillis;
        ByteBuffer b = ByteBuffer.allocate(8 + MAC_BYTES).putLong(expiry).put(tag(expiry, client));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    /** True if {@code nonce} was issued by this server to {@code client} and has not expired. */
    boolean isValid(String nonce, InetSocketAddress client) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (raw.length != 8 + MAC_BYTES) return false;
        long expiry = ByteBuffer.wrap(raw).getLong();
        byte[] want = tag(expiry, client);
        byte[] got = java.util.Arrays.copyOfRange(raw, 8, raw.length);
        return MessageDigest.isEqual(want, got) && expiry > clock.getAsLong();
    }

    private byte[] tag(long expiry, InetSocketAddress client) {
        mac.update(ByteBuffer.allocate(10).putLong(expiry).putShort((short) client.getPort()).array());
        mac.update(client.getAddress().getAddress());
        return java.util.Arrays.copyOf(mac.doFinal(), MAC_BYTES);
    }
}

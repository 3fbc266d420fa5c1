package dev.parley.rtc.dtls;

import dev.parley.rtc.srtp.SrtpContext;
import dev.parley.rtc.srtp.SrtpProfile;
import java.util.Arrays;

/**
 * SRTP master keys exported from a DTLS handshake (RFC 5764 §4.2): "EXTRACTOR-dtls_srtp" yields
 * client key | server key | client salt | server salt.
 */
public record SrtpKeyMaterial(SrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {
    public static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

    /** Total exporter output length for a profile. */
    public static int exportLength(SrtpProfile p) {
        return 2 * (p.keyLength() + p.saltLength());
    }

    public static SrtpKeyMaterial split(SrtpProfile p, byte[] exported) {
        if (exported.length != exportLength(p)) {
            throw new IllegalArgumentException("expected " + exportLength(p) + " bytes, got " + exported.length);
        }
        int k = p.keyLength();
        int s = p.saltLength();
        return new SrtpKeyMaterial(p,
                Arrays.copyOfRange(exported, 0, k),
                Arrays.copyOfRange(exported, 2 * k, 2 * k + s),
                Arrays.copyOfRange(exported, k, 2 * k),
                Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s));
    }

    /** The context that protects what the local side sends. */
    public SrtpContext outbound(boolean localIsServer) {
        return localIsServer ? new SrtpContext(profile, serverKey, serverSalt) : new SrtpContext(profile, clientKey, clientSalt);
    }

    /** The context that unprotects what the remote side sends. */
    public SrtpContext inbound(boolean localIsServer) {
        return outbound(!localIsServer);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeyMaterial m && m.profile == profile
                && Arrays.equals(m.clientKey, clientKey) && Arrays.equals(m.clientSalt, clientSalt)
                && Arrays.equals(m.serverKey, serverKey) && Arrays.equals(m.serverSalt, serverSalt);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(clientKey) ^ profile.hashCode();
    }

    @Override
    public String toString() {
        return "SrtpKeyMaterial[" + profile + "]"; // never print keys
    }
}

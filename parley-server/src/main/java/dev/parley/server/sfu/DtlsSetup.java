package dev.parley.server.sfu;

import dev.parley.rtc.dtls.DtlsRole;
import dev.parley.rtc.sdp.Setup;
import java.util.Optional;

/**
 * Chooses the DTLS role from the SDP's {@code a=setup} (RFC 8842 §5, RFC 5763 §5). Parley prefers
 * to be the DTLS server, as Galène is, but plays the client whenever the peer insists on being the
 * server: pion does so whenever the offerer is ICE-lite.
 */
public final class DtlsSetup {
    private DtlsSetup() {
    }

    /** What Parley's answer says, and the role that gives Parley. */
    public record Choice(Setup answer, DtlsRole role) {
    }

    /**
     * Answering a peer's offer: {@code actpass} or {@code active} get {@code passive} (Parley is the
     * server), {@code passive} gets {@code active} (Parley is the client). An offer without
     * {@code a=setup} is taken as {@code actpass}, as Parley always did.
     *
     * @throws IllegalArgumentException for {@code holdconn}: no DTLS association could ever start
     */
    public static Choice answerTo(Optional<Setup> offered) {
        return switch (offered.orElse(Setup.ACTPASS)) {
            case ACTPASS, ACTIVE -> new Choice(Setup.PASSIVE, DtlsRole.SERVER);
            case PASSIVE -> new Choice(Setup.ACTIVE, DtlsRole.CLIENT);
            case HOLDCONN -> throw new IllegalArgumentException(
                    "the offer says a=setup:holdconn: media cannot start without a DTLS association");
        };
    }

    /**
     * Parley offered {@code actpass}: the role the answer leaves Parley. {@code active} (or no
     * {@code a=setup}, as peers did before RFC 8842) makes Parley the server, {@code passive} the
     * client.
     *
     * @throws IllegalArgumentException for {@code actpass} (an answer must choose, RFC 8842 §5.3) and
     *                                  {@code holdconn}
     */
    public static DtlsRole fromAnswer(Optional<Setup> answered) {
        return switch (answered.orElse(Setup.ACTIVE)) {
            case ACTIVE -> DtlsRole.SERVER;
            case PASSIVE -> DtlsRole.CLIENT;
            case ACTPASS -> throw new IllegalArgumentException(
                    "the answer says a=setup:actpass, but an answer must choose active or passive (RFC 8842)");
            case HOLDCONN -> throw new IllegalArgumentException(
                    "the answer says a=setup:holdconn: media cannot start without a DTLS association");
        };
    }

    /**
     * The {@code a=setup} of a description: the first media section that has one, else the session
     * level. With BUNDLE all sections share one transport, so they cannot disagree usefully.
     */
    public static Optional<Setup> of(dev.parley.rtc.sdp.SessionDescription sdp) {
        return sdp.media().stream().map(m -> sdp.setup(m)).flatMap(Optional::stream).findFirst()
                .or(() -> sdp.setup());
    }
}

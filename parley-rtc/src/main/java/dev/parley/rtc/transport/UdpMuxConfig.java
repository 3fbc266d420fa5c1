package dev.parley.rtc.transport;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.srtp.SrtpProfile;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings of a {@link UdpMux}.
 *
 * @param bindAddress       local address to bind (e.g. 0.0.0.0 or 127.0.0.1)
 * @param port              UDP port; 0 = ephemeral
 * @param announcedAddresses addresses put into host candidates; empty = the bind address (which must
 *                          then not be a wildcard)
 * @param certificate       the DTLS certificate shared by all transports
 * @param dtlsExecutor      runs DTLS handshakes and each session's read loop (one task per transport
 *                          for its life: use a virtual-thread executor)
 * @param handshakeTimeout  a transport that has not completed ICE and DTLS this long after its creation
 *                          fails for good; also the limit of the DTLS handshake itself
 * @param consentTimeout    a transport with no valid check on its selected tuple for this long fails
 *                          (RFC 7675: 30 s)
 * @param srtpProfiles      SRTP profiles accepted in DTLS use_srtp, most preferred first
 * @param loops             media loops (threads, each with its own socket on the port); at least 1
 */
public record UdpMuxConfig(InetAddress bindAddress, int port, List<InetAddress> announcedAddresses,
                           DtlsCertificate certificate, Executor dtlsExecutor,
                           Duration handshakeTimeout, Duration consentTimeout, List<SrtpProfile> srtpProfiles,
                           int loops) {
    public UdpMuxConfig {
        if (loops < 1 || loops > 1024) throw new IllegalArgumentException("media loops must be in [1, 1024], not " + loops);
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(dtlsExecutor, "dtlsExecutor");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
        announcedAddresses = List.copyOf(announcedAddresses);
        if (announcedAddresses.isEmpty() && bindAddress.isAnyLocalAddress()) {
            throw new IllegalArgumentException("bound to a wildcard address: give the addresses to announce");
        }
        if (handshakeTimeout == null) handshakeTimeout = Duration.ofSeconds(30);
        if (consentTimeout == null) consentTimeout = Duration.ofSeconds(30);
        srtpProfiles = srtpProfiles == null || srtpProfiles.isEmpty()
                ? List.of(SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES_CM_128_HMAC_SHA1_80) : List.copyOf(srtpProfiles);
    }

    /** One media loop. */
    public UdpMuxConfig(InetAddress bindAddress, int port, List<InetAddress> announcedAddresses,
                        DtlsCertificate certificate, Executor dtlsExecutor,
                        Duration handshakeTimeout, Duration consentTimeout, List<SrtpProfile> srtpProfiles) {
        this(bindAddress, port, announcedAddresses, certificate, dtlsExecutor, handshakeTimeout, consentTimeout, srtpProfiles, 1);
    }

    /** Defaults: one media loop, announce the bind address, 30 s handshake timeout, 30 s consent timeout, GCM then AES-CM. */
    public static UdpMuxConfig of(InetAddress bindAddress, int port, DtlsCertificate certificate, Executor dtlsExecutor) {
        return new UdpMuxConfig(bindAddress, port, List.of(), certificate, dtlsExecutor, null, null, null);
    }

    public UdpMuxConfig withConsentTimeout(Duration d) {
        return new UdpMuxConfig(bindAddress, port, announcedAddresses, certificate, dtlsExecutor, handshakeTimeout, d, srtpProfiles, loops);
    }

    public UdpMuxConfig withHandshakeTimeout(Duration d) {
        return new UdpMuxConfig(bindAddress, port, announcedAddresses, certificate, dtlsExecutor, d, consentTimeout, srtpProfiles, loops);
    }

    public UdpMuxConfig withAnnouncedAddresses(List<InetAddress> addresses) {
        return new UdpMuxConfig(bindAddress, port, addresses, certificate, dtlsExecutor, handshakeTimeout, consentTimeout, srtpProfiles, loops);
    }

    public UdpMuxConfig withLoops(int n) {
        return new UdpMuxConfig(bindAddress, port, announcedAddresses, certificate, dtlsExecutor, handshakeTimeout, consentTimeout, srtpProfiles, n);
    }

    public UdpMuxConfig withSrtpProfiles(List<SrtpProfile> profiles) {
        return new UdpMuxConfig(bindAddress, port, announcedAddresses, certificate, dtlsExecutor, handshakeTimeout, consentTimeout, profiles, loops);
    }
}

package dev.parley.bench.micro;

import dev.parley.rtc.sdp.Candidate;
import dev.parley.rtc.sdp.Fingerprint;
import dev.parley.rtc.srtp.SrtpContext;
import dev.parley.rtc.srtp.SrtpProfile;
import dev.parley.server.sfu.LocalEndpoint;
import dev.parley.server.sfu.MediaTransport;
import java.util.List;

/**
 * A connected {@link MediaTransport} with no network: tasks run inline, and sends either vanish
 * or are SRTP-protected into a scratch buffer (the server's per-receiver crypto, without the
 * syscall). Lets a benchmark drive the SFU's real per-packet code.
 */
final class NoopTransport implements MediaTransport {
    private static final LocalEndpoint LOCAL = new LocalEndpoint("benchufr", "benchpasswordbenchpasswd",
            new Fingerprint("sha-256", "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"),
            List.of(Candidate.host("1", 1, 2_130_706_431L, "127.0.0.1", 9)));

    private final SrtpContext srtp;
    private final byte[] out = new byte[1600];
    long sent;

    /** {@code profile} null: sends are dropped without encryption. */
    NoopTransport(SrtpProfile profile) {
        this.srtp = profile == null ? null : new SrtpContext(profile, new byte[profile.keyLength()], new byte[profile.saltLength()]);
    }

    @Override
    public LocalEndpoint local() {
        return LOCAL;
    }

    @Override
    public void setRemoteFingerprint(Fingerprint fingerprint) {
    }

    @Override
    public void setRemoteUfrag(String ufrag) {
    }

    @Override
    public LocalEndpoint restartIce(String newRemoteUfrag) {
        return LOCAL;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void sendRtp(byte[] buf, int off, int len) {
        sent++;
        if (srtp != null) {
            srtp.protectRtp(buf, off, len, out, 0);
        }
    }

    @Override
    public void sendRtcp(byte[] buf, int off, int len) {
        if (srtp != null) {
            srtp.protectRtcp(buf, off, len, out, 0);
        }
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public void close() {
    }
}

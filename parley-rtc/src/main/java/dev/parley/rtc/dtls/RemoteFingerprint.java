package dev.parley.rtc.dtls;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * The peer's {@code a=fingerprint}, which may be learnt after its first DTLS flight (the answer can
 * arrive after the ClientHello): the handshake waits for it, within the handshake deadline, before it
 * accepts the peer's certificate. Set from any thread; the last value set wins.
 */
final class RemoteFingerprint {
    private final CompletableFuture<Fingerprint> value = new CompletableFuture<>();

    RemoteFingerprint() {
    }

    RemoteFingerprint(Fingerprint known) {
        value.complete(known);
    }

    void set(Fingerprint fingerprint) {
        if (!value.complete(fingerprint)) value.obtrudeValue(fingerprint);
    }

    /** Wakes a waiting handshake with a failure (the session closed). */
    void abandon() {
        value.completeExceptionally(new IOException("closed"));
    }

    /** Fails the handshake with bad_certificate unless {@code der} matches the fingerprint in time. */
    void verify(byte[] der, long deadlineNanos, String peer) throws IOException {
        Fingerprint expected = await(deadlineNanos);
        if (!expected.matches(der)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, peer + " certificate does not match the SDP fingerprint");
        }
    }

    private Fingerprint await(long deadlineNanos) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        try {
            return value.get(Math.max(0, left), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "remote fingerprint never set");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TlsFatalAlert(AlertDescription.internal_error, "interrupted");
        } catch (ExecutionException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "no remote fingerprint", e.getCause());
        }
    }
}

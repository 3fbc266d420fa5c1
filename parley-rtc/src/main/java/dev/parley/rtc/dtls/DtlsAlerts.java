package dev.parley.rtc.dtls;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Alert bookkeeping shared by both DTLS roles: debug logs, and whether the peer said close_notify. */
final class DtlsAlerts {
    private static final Logger log = LoggerFactory.getLogger(DtlsAlerts.class);

    private DtlsAlerts() {
    }

    /** Logs an alert from the peer; true if it is close_notify. */
    static boolean received(short level, short description) {
        log.debug("DTLS alert received: {} {}", AlertLevel.getText(level), AlertDescription.getText(description));
        return description == AlertDescription.close_notify;
    }

    static void raised(short level, short description, String message) {
        log.debug("DTLS alert raised: {} {} {}", AlertLevel.getText(level), AlertDescription.getText(description), message);
    }
}

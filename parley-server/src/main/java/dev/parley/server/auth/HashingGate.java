package dev.parley.server.auth;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds concurrent password hashing to the number of CPUs (D6). Hashing is deliberately slow, so
 * without a bound a burst of logins would starve every other task; excess callers wait here.
 */
final class HashingGate {
    private static final Semaphore PERMITS =
            new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);

    private HashingGate() {
    }

    static <T> T run(Supplier<T> hashing) {
        PERMITS.acquireUninterruptibly();
        try {
            return hashing.get();
        } finally {
            PERMITS.release();
        }
    }
}

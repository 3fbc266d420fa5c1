package dev.parley.server.sfu;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs a read of media state on the media loop that owns it and waits for the answer. */
final class MediaLoopCall {
    private MediaLoopCall() {
    }

    static <T> T call(MediaTransport transport, Supplier<T> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        transport.execute(() -> {
            try {
                result.complete(read.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the media loop did not answer", e);
        }
    }
}

package dev.parley.server.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: the recorder's write queue is bounded. The "disk" is a FIFO whose reader does not
 * read, so every write blocks once the pipe's buffer is full: a hung disk, for real.
 */
class RecordingDiskTooSlowTest {
    private static final long BOUND = 1L << 20;
    private static final int FRAME = 32 * 1024;

    @TempDir
    Path dir;

    static byte[] bigVp8Key(int seq, long ts) {
        byte[] frame = new byte[FRAME];
        byte[] header = {0x10, 0x02, 0x00, (byte) 0x9d, 0x01, 0x2a, (byte) 640, (byte) (640 >> 8), (byte) 480, (byte) (480 >> 8), 7};
        System.arraycopy(header, 0, frame, 0, header.length);
        return Vp8DepacketizerTest.packet(seq, ts, true, true, frame);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void aDiskThatCannotKeepUpStopsTheRecordingWithABoundedQueue() throws Exception {
        Path fifo = dir.resolve("disk");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        CountDownLatch drain = new CountDownLatch(1);
        CompletableFuture<Long> written = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (InputStream disk = new FileInputStream(fifo.toFile())) {   // opened, then not read: writes block
                drain.await();
                long n = 0;
                byte[] first = disk.readNBytes(4);
                n += first.length;
                assertThat(first).containsExactly(0x1A, 0x45, 0xDF, 0xA3);     // the file starts cleanly (EBML)
                n += disk.transferTo(java.io.OutputStream.nullOutputStream());
                written.complete(n);
            } catch (Throwable e) {
                written.completeExceptionally(e);
            }
        });
        AtomicInteger stops = new AtomicInteger();
        StreamRecording r = new StreamRecording(
                (base, extension) -> new AsyncFileOutput.Opened(fifo, FileChannel.open(fifo, StandardOpenOption.WRITE)),
                BOUND, "alice", Clock.systemUTC(), new StreamRecording.Tracks(-1, 96, VideoFormat.VP8));
        r.onDiskTooSlow(stops::incrementAndGet);

        // 6 MiB of keyframes into a disk that takes 64 KiB: the media loop must never wait.
        for (int i = 0; i < 200; i++) {
            byte[] p = bigVp8Key(i, 90_000L * i / 30);
            r.rtp(p, 0, p.length);
            assertThat(r.pendingBytes()).isLessThanOrEqualTo(BOUND);
        }
        assertThat(stops.get()).isEqualTo(1);
        long queued = r.pendingBytes();
        byte[] late = bigVp8Key(200, 90_000L * 200 / 30);
        r.rtp(late, 0, late.length);
        assertThat(r.pendingBytes()).isEqualTo(queued);                // stopped: nothing more is queued
        assertThat(stops.get()).isEqualTo(1);

        // Once the disk moves again, what was queued is written and the file is closed.
        drain.countDown();
        assertThat(r.awaitClosed(60_000)).isTrue();
        assertThat(written.get(60, TimeUnit.SECONDS)).isGreaterThan(0).isLessThanOrEqualTo(BOUND + (64 << 10) + FRAME * 2L);
        assertThat(r.pendingBytes()).isZero();
    }
}

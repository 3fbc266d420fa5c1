package dev.parley.server.util;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The blocking-I/O pools start threads only when none is idle, up to their bound, then queue. */
class BlockingIoPoolTest {
    @Test
    void tasksOneAfterAnotherShareOneThread() throws Exception {
        ThreadPoolExecutor pool = BlockingIo.pool("test-seq", 32, 100);
        try {
            for (int i = 0; i < 50; i++) {
                pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
                awaitIdle(pool);
            }
            assertThat(pool.getLargestPoolSize()).as("threads ever started").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void blockedTasksGetThreadsUpToTheBoundThenWaitInTheQueue() throws Exception {
        ThreadPoolExecutor pool = BlockingIo.pool("test-blocked", 4, 100);
        CountDownLatch disk = new CountDownLatch(1);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tasks.add(pool.submit(() -> {
                    disk.await();
                    return null;
                }));
            }
            assertThat(pool.getPoolSize()).isEqualTo(4);
            assertThat(pool.getQueue()).hasSize(6);
            disk.countDown();
            for (Future<?> t : tasks) {
                t.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitIdle(ThreadPoolExecutor pool) throws InterruptedException {
        for (int i = 0; i < 1000 && pool.getActiveCount() > 0; i++) {
            Thread.sleep(1);
        }
    }
}

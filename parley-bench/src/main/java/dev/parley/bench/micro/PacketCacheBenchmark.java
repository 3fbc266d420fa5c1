package dev.parley.bench.micro;

import dev.parley.server.packetcache.PacketCache;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/** The server's per-track packet cache: storing each received packet, and the NACK-service lookup. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PacketCacheBenchmark {
    private final PacketCache cache = new PacketCache(512);
    private final byte[] packet = new byte[1200];
    private final byte[] out = new byte[PacketCache.SLOT_SIZE];
    private int seq;
    private int lookup;

    @Setup
    public void setUp() {
        for (int i = 0; i < 512; i++) {
            cache.store(i, i * 3000L, i == 0, false, packet, 0, packet.length);
        }
        seq = 512;
    }

    @Benchmark
    public int insert() {
        seq = (seq + 1) & 0xFFFF;
        return cache.store(seq, seq * 3000L, (seq & 63) == 0, (seq & 3) == 0, packet, 0, packet.length);
    }

    @Benchmark
    public int lookup() {
        lookup = (lookup + 7) & 511;
        return cache.get(lookup, out, 0);
    }
}

package dev.parley.bench.micro;

import dev.parley.rtc.stun.Stun;
import dev.parley.rtc.stun.StunIntegrity;
import dev.parley.rtc.stun.StunMessage;
import dev.parley.rtc.stun.StunWriter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Parsing (and authenticating) a browser's ICE binding request, as the server does for every check. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StunParseBenchmark {
    private final byte[] request = new byte[300];
    private final StunMessage message = new StunMessage();
    private StunIntegrity integrity;
    private int length;

    @Setup
    public void setUp() {
        integrity = StunIntegrity.shortTerm("abcdefghijklmnopqrstuvwx");
        length = new StunWriter().start(request, 0, Stun.BINDING_REQUEST, new byte[12], 0)
                .username("srvufrag:clufrag1").priority(1_845_501_695L).iceControlling(0x1234_5678_9abcL)
                .useCandidate().messageIntegrity(integrity).fingerprint();
    }

    @Benchmark
    public int parse() {
        return message.parse(request, 0, length).type();
    }

    @Benchmark
    public boolean parseAndVerify() {
        return integrity.verify(message.parse(request, 0, length));
    }
}

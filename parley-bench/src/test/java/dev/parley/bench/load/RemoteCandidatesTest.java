package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Message;
import dev.parley.rtc.sdp.Candidate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RemoteCandidatesTest {
    /** TEST-NET-3: never an address of this machine. */
    private static final Candidate FOREIGN = Candidate.host("1", 1, 2_130_706_431L, "203.0.113.7", 4000);
    private static final Candidate LOOPBACK = Candidate.host("2", 1, 1_000L, "127.0.0.1", 5000);

    private static Message.Candidate ice(Candidate c) {
        return new Message.Candidate(c.format(), "0", 0, "uf");
    }

    @Test
    void aCandidateInTheSdpIsUsedAtOnce() throws IOException {
        assertThat(new RemoteCandidates().choose("s", List.of(LOOPBACK), 0))
                .isEqualTo(new InetSocketAddress("127.0.0.1", 5000));
    }

    @Test
    void S16_candidatesTrickledBeforeTheSdpAreKeptForTheirStream() throws IOException {
        RemoteCandidates c = new RemoteCandidates();
        c.add("s", ice(LOOPBACK));
        c.add("other", ice(FOREIGN));
        assertThat(c.choose("s", List.of(), 0)).isEqualTo(new InetSocketAddress("127.0.0.1", 5000));
    }

    @Test
    void S16_aCandidateTrickledAfterTheSdpEndsTheWait() throws Exception {
        RemoteCandidates c = new RemoteCandidates();
        CompletableFuture<InetSocketAddress> chosen = CompletableFuture.supplyAsync(() -> {
            try {
                return c.choose("s", List.of(), 30_000);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        c.add("s", new Message.Candidate("not a candidate", "0", 0, null));  // skipped
        c.add("s", ice(LOOPBACK));
        assertThat(chosen.get()).isEqualTo(new InetSocketAddress("127.0.0.1", 5000));
    }

    @Test
    void anAddressOfThisMachineBeatsAHigherPriorityForeignOne() throws IOException {
        RemoteCandidates c = new RemoteCandidates();
        c.add("s", ice(FOREIGN));
        assertThat(c.choose("s", List.of(LOOPBACK), 0)).isEqualTo(new InetSocketAddress("127.0.0.1", 5000));
        assertThat(c.choose("t", List.of(FOREIGN), 0)).as("any announced address is accepted")
                .isEqualTo(new InetSocketAddress("203.0.113.7", 4000));
    }

    @Test
    void noCandidateAtAllIsAClearError() {
        RemoteCandidates c = new RemoteCandidates();
        c.add("s", ice(LOOPBACK));
        c.forget("s");
        assertThatThrownBy(() -> c.choose("s", List.of(), 50)).isInstanceOf(IOException.class)
                .hasMessageContaining("no UDP candidate for stream s");
    }
}

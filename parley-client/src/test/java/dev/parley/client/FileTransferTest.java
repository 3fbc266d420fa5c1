package dev.parley.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * File transfer with the web client's protocol (usermessage "filetransfer", data channel
 * "file", 16 KiB chunks, "done" handshake), between two SDK clients through a relay.
 */
@Tag("media")
class FileTransferTest {
    @TempDir
    Path dir;

    private RelayServer relay;
    private ServerConnection alice;
    private ServerConnection bob;

    @BeforeEach
    void start() throws Exception {
        relay = new RelayServer();
        alice = new ServerConnection();
        bob = new ServerConnection();
        alice.connect(relay.url()).get(10, TimeUnit.SECONDS);
        bob.connect(relay.url()).get(10, TimeUnit.SECONDS);
        alice.join("g", "alice", "x").get(10, TimeUnit.SECONDS);
        bob.join("g", "bob", "x").get(10, TimeUnit.SECONDS);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!alice.users().containsKey(bob.id()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
        relay.close();
    }

    @Test
    void aFileLargerThanManyChunksArrivesIntact() throws Exception {
        byte[] content = new byte[300_000 + 123];
        new Random(7).nextBytes(content);
        Path source = dir.resolve("report.bin");
        Files.write(source, content);
        Path target = dir.resolve("received.bin");

        List<String> senderStates = new CopyOnWriteArrayList<>();
        List<String> receiverStates = new CopyOnWriteArrayList<>();
        AtomicReference<Object> doneData = new AtomicReference<>();
        AtomicReference<TransferredFile> incoming = new AtomicReference<>();
        CountDownLatch senderClosed = new CountDownLatch(1);
        CountDownLatch receiverDone = new CountDownLatch(1);

        alice.onfiletransfer(f -> f.onevent((state, data) -> {
            if (senderStates.isEmpty() || !senderStates.getLast().equals(state)) {
                senderStates.add(state);
            }
            if (state.equals("closed")) {
                senderClosed.countDown();
            }
        }));
        bob.onfiletransfer(f -> {
            incoming.set(f);
            f.onevent((state, data) -> {
                if (receiverStates.isEmpty() || !receiverStates.getLast().equals(state)) {
                    receiverStates.add(state);
                }
                if (state.equals("done")) {
                    doneData.set(data);
                    receiverDone.countDown();
                }
            });
            f.receive(target);
        });

        TransferredFile out = alice.sendFile(bob.id(), source);
        assertThat(out.up()).isTrue();
        assertThat(out.size()).isEqualTo(content.length);
        assertThat(out.username()).isEqualTo("bob");

        assertThat(receiverDone.await(30, TimeUnit.SECONDS)).as("receiver done, states " + receiverStates).isTrue();
        assertThat(senderClosed.await(10, TimeUnit.SECONDS)).as("sender closed, states " + senderStates).isTrue();
        TransferredFile in = incoming.get();
        assertThat(in.up()).isFalse();
        assertThat(in.name()).isEqualTo("report.bin");
        assertThat(in.size()).isEqualTo(content.length);
        assertThat(in.username()).isEqualTo("alice");
        assertThat(in.userid()).isEqualTo(alice.id());
        assertThat(in.id()).isEqualTo(out.id());
        assertThat(doneData.get()).isEqualTo(target);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(senderStates).containsExactly("inviting", "connecting", "connected", "done", "closed");
        assertThat(receiverStates).startsWith("connecting", "connected", "done");
        assertThat(alice.transferredFiles()).isEmpty();
    }

    @Test
    void anEmptyFileCompletes() throws Exception {
        Path source = dir.resolve("empty");
        Files.write(source, new byte[0]);
        Path target = dir.resolve("empty.out");
        Files.writeString(target, "old content is truncated");
        CountDownLatch senderDone = new CountDownLatch(1);
        CountDownLatch receiverDone = new CountDownLatch(1);
        alice.onfiletransfer(f -> f.onevent((state, data) -> {
            if (state.equals("done")) {
                senderDone.countDown();
            }
        }));
        bob.onfiletransfer(f -> {
            f.onevent((state, data) -> {
                if (state.equals("done")) {
                    receiverDone.countDown();
                }
            });
            f.receive(target);
        });
        alice.sendFile(bob.id(), source);
        assertThat(receiverDone.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(senderDone.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.size(target)).isZero();
    }

    @Test
    void aRefusedTransferIsCancelledOnBothSides() throws Exception {
        Path source = dir.resolve("small.txt");
        Files.writeString(source, "hello");
        BlockingQueue<String> senderStates = new LinkedBlockingQueue<>();
        AtomicReference<Object> reason = new AtomicReference<>();
        alice.onfiletransfer(f -> f.onevent((state, data) -> {
            senderStates.add(state);
            if (state.equals("cancelled")) {
                reason.set(data);
            }
        }));
        bob.onfiletransfer(f -> f.cancel("no thanks"));
        alice.sendFile(bob.id(), source);
        assertThat(senderStates.poll(10, TimeUnit.SECONDS)).isEqualTo("inviting");
        assertThat(senderStates.poll(10, TimeUnit.SECONDS)).isEqualTo("cancelled");
        assertThat(senderStates.poll(10, TimeUnit.SECONDS)).isEqualTo("closed");
        assertThat(reason.get()).isEqualTo("no thanks");
        assertThat(alice.transferredFiles()).isEmpty();
        // bob forgets the transfer just after sending the cancel, which may overtake it
        long deadline = System.currentTimeMillis() + 5000;
        while (!bob.transferredFiles().isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(bob.transferredFiles()).isEmpty();
    }

    @Test
    void aClientWithoutFileTransferRefusesBySaying() throws Exception {
        Path source = dir.resolve("small.txt");
        Files.writeString(source, "hello");
        BlockingQueue<Object> reasons = new LinkedBlockingQueue<>();
        alice.onfiletransfer(f -> f.onevent((state, data) -> {
            if (state.equals("cancelled")) {
                reasons.add(data);
            }
        }));
        alice.sendFile(bob.id(), source);
        assertThat(reasons.poll(10, TimeUnit.SECONDS)).isEqualTo("this client does not implement file transfer");
    }
}

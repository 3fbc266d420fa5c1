package dev.parley.server;

import dev.parley.server.testing.ServerProcess;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Galène's profiling flags (-cpuprofile, -memprofile, -mutexprofile) are accepted, and each
 * writes a readable file when the server is stopped by SIGTERM, as Galène writes its pprof files
 * at exit. The server runs as its own process, as an operator's start script would run it.
 */
class ProfileFlagsTest {
    @Test
    void L12_profilingFlagsWriteTheirFilesAtExit() throws Exception {
        Path root = Files.createTempDirectory("parley-profiles-");
        Path cpu = root.resolve("cpu.prof");
        Path mem = root.resolve("mem.prof");
        Path mutex = root.resolve("mutex.prof");
        try (ServerProcess server = ServerProcess.start(root,
                "-cpuprofile", cpu.toString(), "-memprofile", mem.toString(), "-mutexprofile", mutex.toString())) {
            assertThat(server.awaitListening()).as("the server started with the profiling flags").isTrue();
            server.stop().forEach(System.out::println);
        }

        try (RecordingFile recording = new RecordingFile(cpu)) {
            List<String> types = recording.readEventTypes().stream().map(EventType::getName).toList();
            assertThat(types).contains("jdk.ExecutionSample");
        }
        assertThat(RecordingFile.readAllEvents(cpu)).as("a CPU profile with events").isNotEmpty();
        try (RecordingFile recording = new RecordingFile(mutex)) {
            List<String> types = recording.readEventTypes().stream().map(EventType::getName).toList();
            assertThat(types).contains("jdk.JavaMonitorEnter", "jdk.ThreadPark");
        }
        byte[] header = new byte[18];
        try (var in = Files.newInputStream(mem)) {
            assertThat(in.readNBytes(header, 0, header.length)).isEqualTo(header.length);
        }
        assertThat(new String(header, StandardCharsets.US_ASCII)).isEqualTo("JAVA PROFILE 1.0.2");
        assertThat(Files.size(mem)).as("a heap dump of the whole server").isGreaterThan(1_000_000);
    }
}

package dev.parley.server;

import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "-insecure", "-http", "127.0.0.1:0", "-udp-range", "0", "-announce", "127.0.0.1", "-turn", "",
                "-data", root.resolve("data").toString(), "-groups", root.resolve("groups").toString(),
                "-recordings", root.resolve("recordings").toString(),
                "-cpuprofile", cpu.toString(), "-memprofile", mem.toString(), "-mutexprofile", mutex.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean listening = false;
            while (!listening && (line = out.readLine()) != null) {
                listening = line.startsWith("Parley is listening on");
                System.out.println(line);
            }
            assertThat(listening).as("the server started with the profiling flags").isTrue();
            server.toHandle().destroy();          // SIGTERM, as systemd or Ctrl-C; keeps the pipes open
            while ((line = out.readLine()) != null) {     // the server's exit messages, for a failure's report
                System.out.println(line);
            }
        } finally {
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
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

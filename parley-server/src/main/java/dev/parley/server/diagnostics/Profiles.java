package dev.parley.server.diagnostics;

import com.sun.management.HotSpotDiagnosticMXBean;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Galène's {@code -cpuprofile}, {@code -memprofile} and {@code -mutexprofile}, with the JVM's own
 * tools instead of Go's pprof, so that a Galène start script that passes them keeps working. Like
 * Galène, each file is written when the server exits (SIGINT/SIGTERM):
 * <ul>
 * <li>cpu: a JFR recording with the JDK's "profile" settings (method samples every 10–20 ms,
 *     allocation samples, GC), for {@code jfr print}, JDK Mission Control or IntelliJ;</li>
 * <li>mem: an HPROF heap dump of live objects (Eclipse MAT, VisualVM, {@code jhat}-like tools);</li>
 * <li>mutex: a JFR recording of every contended monitor enter and of parks over 1 ms, with
 *     stack traces: the JVM's view of lock contention.</li>
 * </ul>
 * Files are written as given; existing ones are replaced.
 */
public final class Profiles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Profiles.class);

    private final List<Recording> recordings = new ArrayList<>();
    private final Path heapDump;

    private Profiles(Path heapDump) {
        this.heapDump = heapDump;
    }

    /** Starts what was asked for; null paths mean "not asked". Fails at start, not at exit, on a bad path. */
    public static Profiles start(Path cpu, Path mem, Path mutex) throws IOException {
        Profiles profiles = new Profiles(mem == null ? null : writable(mem));
        try {
            if (cpu != null) {
                profiles.startRecording("cpuprofile", writable(cpu), cpuSettings());
            }
            if (mutex != null) {
                profiles.startRecording("mutexprofile", writable(mutex), null);
            }
        } catch (IOException | RuntimeException e) {
            profiles.close();
            throw e;
        }
        return profiles;
    }

    private static Configuration cpuSettings() throws IOException {
        try {
            return Configuration.getConfiguration("profile");
        } catch (ParseException e) {
            throw new IOException("the JDK's JFR \"profile\" settings are unreadable", e);
        }
    }

    private void startRecording(String name, Path file, Configuration settings) throws IOException {
        Recording recording = settings == null ? new Recording() : new Recording(settings);
        recording.setName(name);
        if (settings == null) {
            // Go's SetMutexProfileFraction(1) samples every contention: record every contended
            // monitor, and parks (ReentrantLock, queues) long enough to matter.
            recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO).withStackTrace();
            recording.enable("jdk.JavaMonitorWait").withThreshold(Duration.ofMillis(1)).withStackTrace();
            recording.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1)).withStackTrace();
        }
        recording.setToDisk(true);
        recording.setDestination(file);
        recording.start();
        recordings.add(recording);
        log.info("{}: recording to {} (JFR, written at exit)", name, file);
    }

    /** Creates or truncates the file now, so a wrong path is reported at start. */
    private static Path writable(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.newOutputStream(absolute).close();
        return absolute;
    }

    /** Writes every profile. Called once, at exit. */
    @Override
    public void close() {
        for (Recording r : recordings) {
            try {
                // The JVM's own JFR shutdown hook may have stopped it (and written the file) first.
                if (r.getState() == RecordingState.RUNNING) {
                    r.stop();                   // writes to the destination
                }
                r.close();
            } catch (RuntimeException e) {
                log.warn("could not write {}: {}", r.getName(), e.toString());
            }
        }
        recordings.clear();
        if (heapDump != null) {
            try {
                // dumpHeap insists on an ".hprof" name and refuses to overwrite: dump beside, then rename.
                Path dump = heapDump.resolveSibling(heapDump.getFileName() + ".tmp-" + ProcessHandle.current().pid() + ".hprof");
                Files.deleteIfExists(dump);
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump.toString(), true);
                Files.move(dump, heapDump, StandardCopyOption.REPLACE_EXISTING);
                log.info("memprofile: heap dump written to {}", heapDump);
            } catch (IOException | RuntimeException e) {
                log.warn("could not write the heap dump {}: {}", heapDump, e.toString());
            }
        }
    }
}

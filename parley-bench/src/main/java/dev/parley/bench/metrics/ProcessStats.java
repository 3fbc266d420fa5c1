package dev.parley.bench.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process from Linux's /proc (proc(5)): utime + stime from
 * {@code /proc/<pid>/stat} (in clock ticks, 100 per second on Linux) and VmRSS from
 * {@code /proc/<pid>/status}.
 */
public final class ProcessStats {
    /** USER_HZ: the unit of utime/stime; 100 on every Linux ABI the JVM runs on. */
    public static final long CLOCK_TICKS_PER_SECOND = 100;

    private final long pid;

    public ProcessStats(long pid) {
        this.pid = pid;
    }

    public static ProcessStats self() {
        return new ProcessStats(ProcessHandle.current().pid());
    }

    public long pid() {
        return pid;
    }

    /** Total CPU time (user + system) in nanoseconds; -1 if the process is gone. */
    public long cpuNanos() {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"))) * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The name prefix of Parley's media loop threads (its UDP event loops). */
    static final String MEDIA_LOOP_THREAD = "parley-udp";

    /**
     * User and kernel time of the whole process, and the time of its media loop threads (user +
     * kernel, from each {@code /proc/<pid>/task/<tid>/stat} whose name starts with
     * {@value #MEDIA_LOOP_THREAD}). A thread that ended between samples takes its time with it,
     * which only happens when the server shuts a loop down. UNKNOWN if the process is gone.
     */
    public CpuSplit cpuSplit() {
        try {
            long[] whole = userAndKernelTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
            long loops = sumOverThreads("stat", stat -> threadName(stat).startsWith(MEDIA_LOOP_THREAD)
                    ? parseCpuTicks(stat) : 0);
            long tick = 1_000_000_000L / CLOCK_TICKS_PER_SECOND;
            return new CpuSplit(whole[0] * tick, whole[1] * tick, loops * tick);
        } catch (IOException | RuntimeException e) {
            return CpuSplit.UNKNOWN;
        }
    }

    /** The command name between the parentheses of a stat line. */
    static String threadName(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** Resident set size in bytes; -1 if unknown. */
    public long rssBytes() {
        try {
            return parseRssKb(Files.readString(Path.of("/proc/" + pid + "/status"))) * 1024;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime: fields 14 and 15, counted after the parenthesised command name (which may hold spaces). */
    static long parseCpuTicks(String stat) {
        long[] ticks = userAndKernelTicks(stat);
        return ticks[0] + ticks[1];
    }

    /** utime and stime in clock ticks. */
    static long[] userAndKernelTicks(String stat) {
        String rest = stat.substring(stat.lastIndexOf(')') + 2);
        String[] f = rest.trim().split(" +");
        // rest starts at field 3 (state); utime is field 14, stime field 15
        return new long[]{Long.parseLong(f[14 - 3]), Long.parseLong(f[15 - 3])};
    }

    /**
     * Time this process's threads spent runnable but waiting for a CPU, in nanoseconds: the sum of
     * the second field of {@code /proc/<pid>/task/<tid>/schedstat}. Growing fast means other work
     * on the same core delays us, which shows up as latency that is not our own. -1 if unknown.
     */
    public long runQueueWaitNanos() {
        try {
            return sumOverThreads("schedstat", ProcessStats::parseSchedstatWait);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {@code perThread} of each thread's {@code /proc/<pid>/task/<tid>/<file>}, summed; a thread that ended meanwhile counts 0. */
    private long sumOverThreads(String file, java.util.function.ToLongFunction<String> perThread) throws IOException {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    sum += perThread.applyAsLong(Files.readString(t.resolve(file)));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }

    static long parseSchedstatWait(String schedstat) {
        return Long.parseLong(schedstat.trim().split(" +")[1]);
    }

    /** The machine's 1-minute load average (/proc/loadavg); -1 if unknown. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static long parseRssKb(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }
}

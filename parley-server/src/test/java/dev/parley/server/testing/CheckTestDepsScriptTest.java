package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/check-test-deps, run by ./parley test before any test: on a machine where nothing it
 * lists is on PATH, CI=true fails the run and names what is missing; elsewhere it only warns.
 */
class CheckTestDepsScriptTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "check-test-deps").toAbsolutePath().normalize();

    record Result(int exitCode, String stderr) {
    }

    private static Result run(Path emptyPath, String ci) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", SCRIPT.toString());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("PATH", emptyPath.toString());   // no chromium, no chromedriver, nothing
        if (ci != null) {
            env.put("CI", ci);
        }
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), stderr);
    }

    @Test
    void ciTrue_missingChromium_failsWithAClearMessage(@TempDir Path emptyPath) throws Exception {
        Result r = run(emptyPath, "true");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("error: CI=true", "chromium", "chromedriver", "apt-get install");
    }

    @Test
    void developerMachine_missingChromium_onlyWarns(@TempDir Path emptyPath) throws Exception {
        Result r = run(emptyPath, null);
        assertThat(r.exitCode()).isZero();
        assertThat(r.stderr()).contains("warning:", "chromium");
    }

    @Test
    void listsEveryPackageForOneAptGet() throws Exception {
        Process p = new ProcessBuilder("/bin/bash", SCRIPT.toString(), "--packages").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out.trim().split(" ")).contains("chromium", "chromium-driver", "libpulse0", "iproute2",
                "firefox-esr", "coturn", "prometheus", "redis-server", "nodejs", "npm");
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
    }
}

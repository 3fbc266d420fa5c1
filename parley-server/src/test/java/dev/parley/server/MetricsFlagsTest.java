package dev.parley.server;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code -metrics} and {@code -metrics-http}: parsed into the options, off by default, described in --help. */
class MetricsFlagsTest {
    @Test
    void metricsAreOffUnlessAFlagAsks() {
        Main main = new Main();
        new CommandLine(main).parseArgs();
        assertThat(main.metrics).isFalse();
        assertThat(main.metricsHttp).isNull();
        ServerOptions galene = new ServerOptions(":8443", true, null, null, null, null, "", "auto", false, false, List.of());
        assertThat(galene.metricsEnabled()).isFalse();
    }

    @Test
    void bothFlagsParse() {
        Main main = new Main();
        new CommandLine(main).parseArgs("-metrics", "-metrics-http", "127.0.0.1:9100", "-http", ":8444");
        assertThat(main.metrics).isTrue();
        assertThat(main.metricsHttp).isEqualTo("127.0.0.1:9100");
        assertThat(main.http).isEqualTo(":8444");
    }

    @Test
    void helpDescribesThem() {
        String help = new CommandLine(new Main()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertThat(help).contains("-metrics ", "-metrics-http=ADDRESS", "/metrics", "parley_media_*");
    }
}

package dev.parley.server.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.transport.MediaLoop;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue #13, MD9: the media plane's RTCP wiring. A stream is ticked by its transport's loop from
 * the transport's creation to its close, and every loop runs its sub-ticks on its own timer.
 * Real media loops on a loopback port; no peer connects (ticks of unconnected streams send nothing).
 */
class MediaServiceRtcpTicksTest {

    /** The ticked streams of {@code loop}: down, up; read on the loop. */
    private static int[] ticked(MediaService media, MediaLoop loop) throws Exception {
        return loop.eventLoop().submit(() -> new int[] {media.rtcpTicks(loop.index()).downStreams(),
                media.rtcpTicks(loop.index()).upStreams()}).get(5, TimeUnit.SECONDS);
    }

    @Test
    void MD9_aStreamIsTickedOnItsTransportsLoop_fromItsTransportsCreationToItsClose() throws Exception {
        try (MediaService media = MediaService.start(0, List.of("127.0.0.1"), 2)) {
            UpStream up = SfuFixtures.upStream("u", null);
            MediaTransport upTransport = media.newTransport(up);
            up.setTransport(upTransport);
            DownStream down = new DownStream(up);
            MediaTransport downTransport = media.newTransport(down);
            down.setTransport(downTransport);
            MediaLoop upLoop = upTransport.loop(), downLoop = downTransport.loop();
            assertThat(upLoop).as("round robin over two loops").isNotSameAs(downLoop);
            assertThat(ticked(media, upLoop)).containsExactly(0, 1);
            assertThat(ticked(media, downLoop)).containsExactly(1, 0);

            long before = media.rtcpTickStats().subTicks();
            for (int i = 0; i < 200 && media.rtcpTickStats().subTicks() - before < 4; i++) {
                Thread.sleep(50);                            // a liveness wait, not a measurement
            }
            assertThat(media.rtcpTickStats().subTicks() - before).as("the loops' own timers run the sub-ticks")
                    .isGreaterThanOrEqualTo(4);

            downTransport.close();
            upTransport.close();
            assertThat(ticked(media, upLoop)).containsExactly(0, 0);
            assertThat(ticked(media, downLoop)).containsExactly(0, 0);
        }
    }
}

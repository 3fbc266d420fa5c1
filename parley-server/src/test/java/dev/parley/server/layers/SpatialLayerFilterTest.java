package dev.parley.server.layers;

import dev.parley.rtc.codec.PacketFlags;
import dev.parley.rtc.codec.VideoCodec;
import dev.parley.rtc.rtp.RtpPacket;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** MD7, MD10: which packets of a VP9 {@code L3T3_KEY} stream one receiver gets, and where its pictures end. */
class SpatialLayerFilterTest {
    private final SpatialLayerFilter filter = new SpatialLayerFilter();
    private final PacketFlags flags = new PacketFlags();
    private final RtpPacket view = new RtpPacket();
    private final Vp9SvcStream stream = new Vp9SvcStream(1000, 200);

    /** One packet as the filter decided it: its layer, and whether it ends what was forwarded of its picture. */
    record Decision(int sid, boolean forwarded, boolean marker) {
    }

    private List<Decision> feed(List<byte[]> packets) {
        List<Decision> out = new ArrayList<>();
        for (byte[] p : packets) {
            assertThat(view.wrap(p, 0, p.length)).isTrue();
            assertThat(flags.parse(VideoCodec.VP9, view)).isTrue();
            boolean ok = filter.accept(flags, view.timestamp());
            out.add(new Decision(flags.sid(), ok, ok && (view.marker() || filter.endsForwardedPicture(flags))));
        }
        return out;
    }

    private static List<Integer> forwardedLayers(List<Decision> picture) {
        return picture.stream().filter(Decision::forwarded).map(Decision::sid).distinct().toList();
    }

    /** The forwarded packets that carry the marker, as indices into the picture's packets. */
    private static List<Integer> markers(List<Decision> picture) {
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < picture.size(); i++) {
            if (picture.get(i).marker()) {
                at.add(i);
            }
        }
        return at;
    }

    @Test
    void MD10_baseLayerOnly_dropsTheUpperLayers_andTheBaseLayersLastPacketEndsThePicture() {
        filter.cap(0);
        for (int i = 0; i < 8; i++) {
            List<Decision> picture = feed(stream.picture(i == 0));
            assertThat(forwardedLayers(picture)).as("picture %d", i).containsExactly(0);
            assertThat(markers(picture)).as("picture %d", i).containsExactly(Vp9SvcStream.PACKETS_PER_LAYER - 1);
        }
        assertThat(filter.limit()).isZero();
        assertThat(filter.highest()).isEqualTo(2);
        assertThat(filter.awaitsKeyframe()).isFalse();
    }

    @Test
    void MD7_allLayers_forwardedUntouched_withThePresentersMarkerOnly() {
        for (int i = 0; i < 4; i++) {
            List<Decision> picture = feed(stream.picture(i == 0));
            assertThat(forwardedLayers(picture)).containsExactly(0, 1, 2);
            assertThat(markers(picture)).containsExactly(Vp9SvcStream.PACKETS_PER_PICTURE - 1);
        }
    }

    @Test
    void MD7_MD10_goingUpWaitsForAKeyframe_whichTheCallerIsToldToRequest() {
        filter.cap(0);
        feed(stream.picture(true));
        feed(stream.picture(false));
        assertThat(filter.cap(SpatialLayerFilter.ALL)).as("lifting the cap needs a keyframe").isTrue();
        assertThat(filter.awaitsKeyframe()).isTrue();
        for (int i = 0; i < 5; i++) {
            List<Decision> picture = feed(stream.picture(false));
            assertThat(forwardedLayers(picture)).as("no upper layer before a keyframe").containsExactly(0);
            assertThat(markers(picture)).containsExactly(Vp9SvcStream.PACKETS_PER_LAYER - 1);
        }
        List<Decision> key = feed(stream.picture(true));
        assertThat(forwardedLayers(key)).as("the keyframe picture brings every layer").containsExactly(0, 1, 2);
        assertThat(markers(key)).containsExactly(Vp9SvcStream.PACKETS_PER_PICTURE - 1);
        assertThat(filter.awaitsKeyframe()).isFalse();
        assertThat(forwardedLayers(feed(stream.picture(false)))).containsExactly(0, 1, 2);
    }

    @Test
    void MD7_goingDownTakesEffectAtTheNextPicture_notInTheMiddleOfOne() {
        feed(stream.picture(true));
        List<byte[]> packets = stream.picture(false);
        List<Decision> picture = new ArrayList<>(feed(packets.subList(0, Vp9SvcStream.PACKETS_PER_LAYER)));
        assertThat(filter.down()).isTrue();                                     // 2 → 1, mid-picture
        picture.addAll(feed(packets.subList(Vp9SvcStream.PACKETS_PER_LAYER, packets.size())));
        assertThat(forwardedLayers(picture)).as("the picture under way is finished").containsExactly(0, 1, 2);
        assertThat(markers(picture)).containsExactly(Vp9SvcStream.PACKETS_PER_PICTURE - 1);

        List<Decision> next = feed(stream.picture(false));
        assertThat(forwardedLayers(next)).containsExactly(0, 1);
        assertThat(markers(next)).as("the marker moves to the end of layer 1")
                .containsExactly(2 * Vp9SvcStream.PACKETS_PER_LAYER - 1);
        assertThat(filter.limit()).isEqualTo(1);
        assertThat(filter.awaitsKeyframe()).isFalse();
    }

    @Test
    void MD7_stepsDownToTheBaseLayer_thenUpOneLayerAtATimeAtKeyframes() {
        feed(stream.picture(true));
        assertThat(filter.down()).isTrue();
        feed(stream.picture(false));
        assertThat(filter.down()).isTrue();
        feed(stream.picture(false));
        assertThat(filter.limit()).isZero();
        assertThat(filter.down()).as("nothing below the base layer").isFalse();

        assertThat(filter.up()).isTrue();
        assertThat(filter.awaitsKeyframe()).isTrue();
        assertThat(forwardedLayers(feed(stream.picture(false)))).containsExactly(0);
        assertThat(forwardedLayers(feed(stream.picture(true)))).containsExactly(0, 1);
        assertThat(filter.up()).isTrue();
        assertThat(forwardedLayers(feed(stream.picture(false)))).containsExactly(0, 1);
        assertThat(forwardedLayers(feed(stream.picture(true)))).containsExactly(0, 1, 2);
        assertThat(filter.up()).as("every layer is forwarded").isFalse();
    }

    @Test
    void MD10_theCapBoundsWhatTheEstimateMayAdd() {
        filter.cap(0);
        feed(stream.picture(true));
        assertThat(filter.up()).as("the estimate cannot lift the request's cap").isFalse();
        assertThat(filter.awaitsKeyframe()).isFalse();
        assertThat(forwardedLayers(feed(stream.picture(true)))).containsExactly(0);
    }

    @Test
    void MD7_aTopLayerThePresenterStoppedSending_isForgotten_soTheNextStepDownDropsALayerThatIsSent() {
        feed(stream.picture(true));
        stream.sendLayers(2);
        for (int i = 1; i < SpatialLayerFilter.FORGET_AFTER_PICTURES; i++) {
            feed(stream.picture(false));
        }
        assertThat(filter.highest()).as("one picture short of forgetting").isEqualTo(2);
        feed(stream.picture(false));
        feed(stream.picture(false));
        assertThat(filter.highest()).isEqualTo(1);
        assertThat(filter.down()).isTrue();
        List<Decision> picture = feed(stream.picture(false));
        assertThat(forwardedLayers(picture)).as("the first step down drops layer 1").containsExactly(0);
        assertThat(markers(picture)).containsExactly(Vp9SvcStream.PACKETS_PER_LAYER - 1);

        stream.sendLayers(3);                          // back: seen at once, but forwarded only from a keyframe
        feed(stream.picture(false));
        assertThat(filter.highest()).isEqualTo(2);
        assertThat(filter.up()).isTrue();
        assertThat(forwardedLayers(feed(stream.picture(false)))).containsExactly(0);
        assertThat(forwardedLayers(feed(stream.picture(true)))).containsExactly(0, 1);
    }
}

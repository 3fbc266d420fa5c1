package dev.parley.server.sfu;

/**
 * What the simulcast switch tests share: a presenter's stream with two layers (high first, as
 * the offer's rids order them), a receiver's down stream, transports that record what would be
 * sent, and synthetic time. A subclass makes the layers' packets (its codec) and sets
 * {@link #high} and {@link #low} once the stream has learnt them.
 */
abstract class SimulcastFixture {
    static final long HIGH_SSRC = 0x1111, LOW_SSRC = 0x2222, DOWN_SSRC = 0x5678;

    final DownTrackLayerTest.RecordingTransport upTransport = new DownTrackLayerTest.RecordingTransport();
    final DownTrackLayerTest.RecordingTransport downTransport = new DownTrackLayerTest.RecordingTransport();
    final UpStream up = SfuFixtures.upStream("u", upTransport);
    final DownStream downStream = new DownStream(up);
    UpTrack high;
    UpTrack low;
    long now = 1_000_000_000L;

    /** Sends one delta frame of each layer. */
    abstract void deltaFrameOfEachLayer();

    /** {@code count} delta frames of each layer, 33 ms apart. */
    void frames(int count) {
        for (int i = 0; i < count; i++, now += 33_000_000L) {
            deltaFrameOfEachLayer();
        }
    }

    /** A receiver's down track that selected the high layer, attached to both. */
    DownTrack attachedDownTrack() {
        DownTrack d = new DownTrack(downStream, high, DOWN_SSRC, now);
        d.setLayers(high, new UpTrack[]{high, low});
        return d;
    }
}

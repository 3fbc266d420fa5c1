package dev.parley.server.record;

import dev.parley.rtc.rtp.RtpPacket;

/** Rebuilds codec frames from the RTP packets of one track, in arrival order. */
sealed interface Depacketizer permits H264Depacketizer, OpusDepacketizer, VideoDepacketizer {
    void push(RtpPacket p, FrameSink sink);

}

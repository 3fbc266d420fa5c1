package dev.parley.server.record;

import dev.parley.rtc.rtp.RtpPacket;

/** Opus (RFC 7587): each packet's payload is one frame, and every frame stands alone. */
final class OpusDepacketizer implements Depacketizer {
    @Override
    public void push(RtpPacket p, FrameSink sink) {
        if (p.payloadLength() > 0) {
            sink.frame(p.buffer(), p.payloadOffset(), p.payloadLength(), p.timestamp(), true);
        }
    }
}

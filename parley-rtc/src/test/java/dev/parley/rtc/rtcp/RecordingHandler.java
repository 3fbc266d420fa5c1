package dev.parley.rtc.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Records callbacks as readable strings so tests can compare whole sequences. */
final class RecordingHandler implements RtcpHandler {
    final List<String> events = new ArrayList<>();

    @Override
    public void onSenderReport(long ssrc, long ntp, long rtp, long packets, long octets) {
        events.add("SR " + ssrc + " ntp=" + Long.toHexString(ntp) + " rtp=" + rtp + " p=" + packets + " o=" + octets);
    }

    @Override
    public void onReceiverReport(long ssrc) {
        events.add("RR " + ssrc);
    }

    @Override
    public void onReceptionReport(long reporter, long source, int fraction, int cumulative, long highest,
            long jitter, long lsr, long dlsr) {
        events.add("RB " + reporter + "->" + source + " f=" + fraction + " c=" + cumulative + " h=" + highest
                + " j=" + jitter + " lsr=" + lsr + " dlsr=" + dlsr);
    }

    @Override
    public void onSdesCname(long ssrc, byte[] buf, int off, int len) {
        events.add("CNAME " + ssrc + " " + new String(buf, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public void onBye(long ssrc) {
        events.add("BYE " + ssrc);
    }

    @Override
    public void onNack(long sender, long media, int pid, int blp) {
        events.add("NACK " + sender + "->" + media + " pid=" + pid + " blp=" + Integer.toBinaryString(blp));
    }

    @Override
    public void onPli(long sender, long media) {
        events.add("PLI " + sender + "->" + media);
    }

    @Override
    public void onFir(long sender, long target, int seq) {
        events.add("FIR " + sender + "->" + target + " seq=" + seq);
    }

    @Override
    public void onRemb(long sender, long bitrate, byte[] buf, int ssrcOff, int count) {
        StringBuilder sb = new StringBuilder("REMB " + sender + " " + bitrate);
        for (int i = 0; i < count; i++) {
            sb.append(' ').append(RtcpReader.ssrcAt(buf, ssrcOff, i));
        }
        events.add(sb.toString());
    }

    @Override
    public void onOther(int pt, int fmt, byte[] buf, int off, int len) {
        events.add("OTHER " + pt + "/" + fmt + " len=" + len);
    }
}

package dev.parley.server.metrics;

import dev.parley.rtc.transport.MuxCounters;
import dev.parley.server.sfu.MediaService;
import dev.parley.server.sfu.MediaTotals;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The media plane's meters. Nothing here runs per packet: the counters that the transport and
 * the streams keep anyway are read when scraped, and the per-track figures (bandwidth
 * estimate, loss, RTT) are sampled once per scrape into histograms.
 */
final class MediaMetrics {
    private final MediaTotals totals;
    private final DistributionSummary estimate;
    private final DistributionSummary lossReceived;
    private final DistributionSummary lossForwarded;
    private final DistributionSummary rtt;

    private MediaMetrics(MeterRegistry registry, MediaTotals totals) {
        this.totals = totals;
        // In bytes, as Prometheus wants its base units: 8e3 B/s is 64 kbit/s, 2e6 B/s 16 Mbit/s.
        estimate = DistributionSummary.builder("parley.media.receiver.estimated.bandwidth").baseUnit("bytes.per.second")
                .description("Bandwidth estimate of each forwarded track's receiver (bytes/s; send-side from its "
                        + "transport feedback when it sends some, else from loss and REMB), sampled at every scrape")
                .serviceLevelObjectives(8e3, 16e3, 32e3, 64e3, 128e3, 256e3, 512e3, 1e6, 2e6).register(registry);
        lossReceived = loss(registry, "received", "Fraction lost of each presenter's track as we last reported it, sampled at every scrape");
        lossForwarded = loss(registry, "forwarded", "Fraction lost that each receiver last reported for a forwarded track, sampled at every scrape");
        rtt = DistributionSummary.builder("parley.media.rtt").baseUnit("seconds")
                .description("Smoothed NACK round trip to each presenter's track, once measured, sampled at every scrape")
                .serviceLevelObjectives(0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6).register(registry);
    }

    private static DistributionSummary loss(MeterRegistry registry, String direction, String description) {
        return DistributionSummary.builder("parley.media.loss").baseUnit("ratio").tag("direction", direction)
                .description(description)
                .serviceLevelObjectives(0.001, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1).register(registry);
    }

    static MediaMetrics bind(MeterRegistry registry, MediaService media) {
        // Summed over every mux, so that several media loops each with its own counters read as one.
        // The meters hold the media service weakly (Micrometer's way): the server holds it strongly.
        Function<MediaService, List<MuxCounters>> muxes = m -> List.of(m.counters());
        mux(registry, media, muxes, "parley.media.datagrams.received", null, MuxCounters::datagramsReceived,
                "UDP datagrams received on the media port");
        mux(registry, media, muxes, "parley.media.rtp.decrypted", null, MuxCounters::rtpDelivered,
                "SRTP packets decrypted and handed to a stream");
        mux(registry, media, muxes, "parley.media.rtcp.decrypted", null, MuxCounters::rtcpDelivered,
                "SRTCP packets decrypted and handed to a stream");
        mux(registry, media, muxes, "parley.media.stun.responses", null, MuxCounters::stunResponsesSent,
                "STUN binding responses sent (ICE connectivity checks answered)");
        mux(registry, media, muxes, "parley.media.handler.errors", null, MuxCounters::handlerErrors,
                "Exceptions while handling a datagram (the datagram is lost)");
        String dropped = "Datagrams dropped on the media port, by reason";
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "unknown_tuple", MuxCounters::unknownTuple, dropped);
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "unclassified", MuxCounters::unclassified, dropped);
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "stun_malformed", MuxCounters::stunMalformed, dropped);
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "stun_unknown_ufrag", MuxCounters::stunUnknownUfrag, dropped);
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "stun_rejected", MuxCounters::stunRejected, dropped);
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "dtls", MuxCounters::dtlsDropped, dropped);
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "srtp_before_keys", MuxCounters::srtpBeforeKeys, dropped);
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "srtp_malformed", MuxCounters::srtpMalformed, dropped);
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "srtp_auth_failed", MuxCounters::srtpAuthFailed, dropped);
        mux(registry, media, muxes, "parley.media.datagrams.dropped", "srtp_replayed", MuxCounters::srtpReplayed, dropped);
        String failures = "Peer connections that failed: ICE and DTLS not done in time, DTLS failed, or ICE consent expired";
        mux(registry, media, muxes, "parley.media.transport.failures", "handshake_timeout", MuxCounters::handshakeTimeouts, failures);
        mux(registry, media, muxes, "parley.media.transport.failures", "dtls", MuxCounters::dtlsFailures, failures);
        mux(registry, media, muxes, "parley.media.transport.failures", "ice_consent", MuxCounters::consentExpirations, failures);

        ForwardingDelayMetric.bind(registry, media);
        FunctionCounter.builder("parley.media.rtcp.subticks", media, m -> m.rtcpTickStats().subTicks())
                .description("Sub-ticks of the media loops' periodic RTCP (each does one slice of a loop's streams)")
                .register(registry);
        FunctionCounter.builder("parley.media.rtcp.subtick.cpu", media, m -> m.rtcpTickStats().cpuNanos() / 1e9)
                .baseUnit("seconds").description("CPU time of the media loops' RTCP sub-ticks").register(registry);
        Gauge.builder("parley.media.rtcp.subtick.longest", media, m -> m.rtcpTickStats().longestNanos() / 1e9)
                .tag("clock", "wall").baseUnit("seconds")
                .description("Longest RTCP sub-tick of the last 5-10 s, on any loop: how long it held the loop "
                        + "(wall time: waits for a core included; CPU time: the work)").register(registry);
        Gauge.builder("parley.media.rtcp.subtick.longest", media, m -> m.rtcpTickStats().longestCpuNanos() / 1e9)
                .tag("clock", "cpu").baseUnit("seconds")
                .description("Longest RTCP sub-tick of the last 5-10 s, on any loop: how long it held the loop "
                        + "(wall time: waits for a core included; CPU time: the work)").register(registry);

        MediaTotals totals = media.totals();
        Gauge.builder("parley.media.streams", totals, MediaTotals::presenterStreams).tag("role", "presenter")
                .description("Live peer connections: presenters' up streams and receivers' down streams").register(registry);
        Gauge.builder("parley.media.streams", totals, MediaTotals::receiverStreams).tag("role", "receiver")
                .description("Live peer connections: presenters' up streams and receivers' down streams").register(registry);
        String packets = "RTP packets received from presenters and forwarded to receivers (resends excluded)";
        String bytes = "RTP bytes (header and payload, before SRTP) received from presenters and forwarded to receivers";
        stream(registry, "parley.media.rtp.packets", null, "received", t -> t.fromPresenters(MediaTotals.Counter.PACKETS), packets, totals);
        stream(registry, "parley.media.rtp.packets", null, "forwarded", t -> t.toReceivers(MediaTotals.Counter.PACKETS), packets, totals);
        stream(registry, "parley.media.rtp", "bytes", "received", t -> t.fromPresenters(MediaTotals.Counter.BYTES), bytes, totals);
        stream(registry, "parley.media.rtp", "bytes", "forwarded", t -> t.toReceivers(MediaTotals.Counter.BYTES), bytes, totals);
        String nacks = "Sequence numbers NACKed: by us to presenters (sent), by receivers to us (received)";
        stream(registry, "parley.media.nacks", null, "sent", t -> t.fromPresenters(MediaTotals.Counter.NACKS), nacks, totals);
        stream(registry, "parley.media.nacks", null, "received", t -> t.toReceivers(MediaTotals.Counter.NACKS), nacks, totals);
        String plis = "Keyframe requests: PLIs we sent to presenters, PLIs and FIRs receivers sent us";
        stream(registry, "parley.media.plis", null, "sent", t -> t.fromPresenters(MediaTotals.Counter.PLIS), plis, totals);
        stream(registry, "parley.media.plis", null, "received", t -> t.toReceivers(MediaTotals.Counter.PLIS), plis, totals);
        stream(registry, "parley.media.retransmissions", null, null, t -> t.toReceivers(MediaTotals.Counter.RETRANSMISSIONS),
                "Packets resent to receivers from the cache in answer to their NACKs", totals);
        stream(registry, "parley.media.retransmissions.refused", null, null, t -> t.toReceivers(MediaTotals.Counter.RESENDS_REFUSED),
                "Plain (non-RTX) resends not sent because they could not be byte-identical to the first sending, "
                        + "as an SRTP index sent again must be under AES-GCM", totals);
        stream(registry, "parley.media.layer.switches", null, null, t -> t.toReceivers(MediaTotals.Counter.LAYER_SWITCHES),
                "Receivers' video moved to another simulcast layer without renegotiation (at a keyframe of it)", totals);
        return new MediaMetrics(registry, totals);
    }

    private static void mux(MeterRegistry registry, MediaService media, Function<MediaService, List<MuxCounters>> muxes,
                            String name, String reason, ToLongFunction<MuxCounters> field, String description) {
        var b = FunctionCounter.builder(name, media, m -> {
            long n = 0;
            for (MuxCounters c : muxes.apply(m)) {
                n += field.applyAsLong(c);
            }
            return n;
        }).description(description);
        if (reason != null) {
            b.tag("reason", reason);
        }
        b.register(registry);
    }

    /**
     * A stream total. Reads that race with a stream's closing may briefly miss it (see
     * {@link MediaTotals}); the largest value read so far is reported, so the counter never goes back.
     */
    private static void stream(MeterRegistry registry, String name, String unit, String direction,
                               ToLongFunction<MediaTotals> read, String description, MediaTotals totals) {
        AtomicLong largest = new AtomicLong();
        var b = FunctionCounter.builder(name, totals, t -> largest.accumulateAndGet(read.applyAsLong(t), Math::max))
                .description(description);
        if (unit != null) {
            b.baseUnit(unit);
        }
        if (direction != null) {
            b.tag("direction", direction);
        }
        b.register(registry);
    }

    /** One observation per live track into the histograms; on the scraping thread. */
    void sampleTracks() {
        totals.sampleTracks(new MediaTotals.TrackSink() {
            @Override
            public void receiver(long estimateBps, double loss) {
                estimate.record(estimateBps / 8.0);
                lossForwarded.record(loss);
            }

            @Override
            public void presenter(double loss, long rttMs) {
                lossReceived.record(loss);
                if (rttMs >= 0) {
                    rtt.record(rttMs / 1000.0);
                }
            }
        });
    }
}

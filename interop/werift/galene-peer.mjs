// A Galène-protocol peer built on werift (a WebRTC stack in TypeScript with its own ICE, DTLS and
// SRTP), so Parley's media tests have a peer that is not libwebrtc.
//
//   node galene-peer.mjs --url ws://HOST/ws --group G --user U --password P --mode subscribe \
//        [--setup active|passive] [--min-packets N] [--seconds S]
//   node galene-peer.mjs --url ... --mode publish [--setup actpass|passive] [--seconds S]
//
// subscribe: asks for audio and video, answers every offer (rewriting the answer's a=setup when
//   --setup is given, which werift then obeys as its DTLS role), and counts RTP packets per kind
//   that werift decrypted. Exits 0 when every kind reached --min-packets, 1 on timeout.
// publish: offers one Opus and one VP8 track (with --setup rewritten in the offer) and sends
//   synthetic RTP: Opus silence frames every 20 ms and keyframe-shaped VP8 packets at 15 frames/s,
//   until --seconds pass.
// Both print one JSON object per line on stdout: {"event": ...}; the last is {"event":"result",...}
// with the DTLS role werift played and the packet counts.
import { RTCPeerConnection, RTCRtpCodecParameters, MediaStreamTrack, RtpHeader, RtpPacket } from "werift";
import WebSocket from "ws";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
    if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
    return acc;
}, []));
const mode = args.mode ?? "subscribe";
const seconds = Number(args.seconds ?? 30);
const minPackets = Number(args["min-packets"] ?? 50);
const setup = args.setup; // undefined: keep werift's own choice
const clientId = "werift-" + Math.random().toString(36).slice(2, 10);

const started = Date.now();
function emit(event, fields = {}) {
    process.stdout.write(JSON.stringify({ event, ms: Date.now() - started, ...fields }) + "\n");
}

function fail(message) {
    emit("error", { message });
    process.exit(2);
}

const codecs = {
    audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2 })],
    video: [new RTCRtpCodecParameters({
        mimeType: "video/VP8", clockRate: 90000,
        rtcpFeedback: [{ type: "nack" }, { type: "nack", parameter: "pli" }, { type: "goog-remb" }],
    })],
};

const ws = new WebSocket(args.url);
const send = (m) => ws.send(JSON.stringify(m));
const peers = new Map(); // stream id -> RTCPeerConnection
const packets = { audio: 0, video: 0 };
const roles = new Set();

function watch(pc, id) {
    pc.connectionStateChange.subscribe((state) => {
        if (state === "connected") {
            for (const t of pc.dtlsTransports) roles.add(t.role);
            emit("connected", { id, dtlsRoles: pc.dtlsTransports.map((t) => t.role) });
        } else {
            emit("state", { id, state });
        }
    });
}

function finish(code) {
    emit("result", { mode, packets, dtlsRoles: [...roles] });
    for (const pc of peers.values()) pc.close().catch(() => {});
    ws.close();
    setTimeout(() => process.exit(code), 200);
}

async function answerOffer(m) {
    let pc = peers.get(m.id);
    if (!pc) {
        pc = new RTCPeerConnection({ codecs });
        peers.set(m.id, pc);
        watch(pc, m.id);
        pc.onTrack.subscribe((track) => {
            emit("track", { id: m.id, kind: track.kind });
            track.onReceiveRtp.subscribe(() => {
                packets[track.kind]++;
                if (packets.audio >= minPackets && packets.video >= minPackets) finish(0);
            });
        });
    }
    await pc.setRemoteDescription({ type: "offer", sdp: m.sdp });
    const answer = await pc.createAnswer();
    let sdp = answer.sdp;
    if (setup) sdp = sdp.replace(/a=setup:[a-z]+/g, "a=setup:" + setup);
    await pc.setLocalDescription({ type: "answer", sdp });
    send({ type: "answer", id: m.id, sdp: pc.localDescription.sdp });
    emit("answered", { id: m.id, setup: (pc.localDescription.sdp.match(/a=setup:([a-z]+)/) ?? [])[1] });
}

// Opus: a 20 ms silence frame (TOC 0xf8: CELT fullband 20 ms, mono). VP8: a payload descriptor with
// S=1 and a frame header whose P bit says keyframe, so the SFU forwards it to new receivers at once.
function startSending(audio, video) {
    let aSeq = 0, aTs = 0, vSeq = 0, vTs = 0;
    const opus = Buffer.from([0xf8, 0xff, 0xfe]);
    const vp8 = Buffer.alloc(600);
    vp8.set([0x10, 0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00]); // 320x240 keyframe header
    const rtp = (seq, ts, marker, payload) =>
        new RtpPacket(new RtpHeader({ sequenceNumber: seq & 0xffff, timestamp: ts >>> 0, marker, payloadType: 96 }), payload);
    const a = setInterval(() => { audio.writeRtp(rtp(aSeq++, aTs, false, opus)); aTs += 960; }, 20);
    const v = setInterval(() => { video.writeRtp(rtp(vSeq++, vTs, true, vp8)); vTs += 6000; }, 66);
    return () => { clearInterval(a); clearInterval(v); };
}

async function publish() {
    const pc = new RTCPeerConnection({ codecs });
    const id = "werift-up-" + Math.random().toString(36).slice(2, 8);
    peers.set(id, pc);
    watch(pc, id);
    const audio = new MediaStreamTrack({ kind: "audio" });
    const video = new MediaStreamTrack({ kind: "video" });
    pc.addTransceiver(audio, { direction: "sendonly" });
    pc.addTransceiver(video, { direction: "sendonly" });
    pc.connectionStateChange.subscribe((state) => {
        if (state === "connected") {
            const stop = startSending(audio, video);
            emit("publishing", { id });
            setTimeout(() => { stop(); finish(0); }, seconds * 1000);
        }
    });
    await pc.setLocalDescription(await pc.createOffer());
    // werift refuses a rewritten local offer, so only the copy sent is rewritten; werift then takes
    // its role from the answer's a=setup (active there makes it the server)
    let sdp = pc.localDescription.sdp;
    if (setup) sdp = sdp.replace(/a=setup:[a-z]+/g, "a=setup:" + setup);
    send({ type: "offer", id, label: "camera", source: clientId, username: args.user, sdp });
}

ws.on("open", () => send({ type: "handshake", version: ["2"], id: clientId }));
ws.on("error", (e) => fail("websocket: " + e.message));
ws.on("close", () => emit("closed"));
ws.on("message", async (data) => {
    const m = JSON.parse(data.toString());
    try {
        switch (m.type) {
            case "handshake":
                send({ type: "join", kind: "join", group: args.group, username: args.user, password: args.password });
                break;
            case "joined":
                if (m.kind === "fail") fail("join failed: " + m.value);
                if (m.kind !== "join") break;
                emit("joined", { group: m.group });
                if (mode === "publish") await publish();
                else send({ type: "request", request: { "": ["audio", "video"] } });
                break;
            case "offer":
                await answerOffer(m);
                break;
            case "answer": {
                const pc = peers.get(m.id);
                if (pc) await pc.setRemoteDescription({ type: "answer", sdp: m.sdp });
                emit("answer", { id: m.id, setup: (m.sdp.match(/a=setup:([a-z]+)/) ?? [])[1] });
                break;
            }
            case "ice": {
                const pc = peers.get(m.id);
                if (pc && m.candidate) await pc.addIceCandidate(m.candidate);
                break;
            }
            case "ping":
                send({ type: "pong" });
                break;
            case "abort":
                fail("the server aborted stream " + m.id);
                break;
            case "usermessage":
                if (m.kind === "error") emit("server-error", { value: m.value });
                break;
        }
    } catch (e) {
        fail(String(e && e.stack || e));
    }
});

// subscribe: give up after --seconds; publish: the send timer ends it, this only if it never connected
setTimeout(() => finish(1), seconds * 1000 + (mode === "publish" ? 30000 : 0));

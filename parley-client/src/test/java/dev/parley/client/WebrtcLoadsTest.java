package dev.parley.client;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebrtcLoadsTest {
    @Test
    void nativeLibraryLoadsAndCreatesPeerConnection() {
        HeadlessAudioDeviceModule adm = new HeadlessAudioDeviceModule();
        adm.initPlayout();
        adm.startPlayout();
        adm.initRecording();
        adm.startRecording();
        PeerConnectionFactory factory = new PeerConnectionFactory(adm);
        RTCPeerConnection pc = factory.createPeerConnection(new RTCConfiguration(), candidate -> { });
        assertThat(pc).isNotNull();
        assertThat(pc.getSignalingState().toString()).isEqualTo("STABLE");
        pc.close();
        factory.dispose();
        adm.stopPlayout();
        adm.stopRecording();
        adm.dispose();
    }
}

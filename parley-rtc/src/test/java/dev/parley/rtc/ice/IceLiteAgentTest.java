package dev.parley.rtc.ice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.rtc.stun.Stun;
import dev.parley.rtc.stun.StunIntegrity;
import dev.parley.rtc.stun.StunMessage;
import dev.parley.rtc.stun.StunWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class IceLiteAgentTest {
    final IceCredentials local = IceCredentials.random();
    final IceLiteAgent agent = new IceLiteAgent(local);
    final StunMessage msg = new StunMessage();

    StunMessage request(String username, String password, boolean useCandidate) {
        byte[] tx = new byte[12];
        ThreadLocalRandom.current().nextBytes(tx);
        byte[] out = new byte[300];
        StunWriter w = new StunWriter().start(out, 0, Stun.BINDING_REQUEST, tx, 0)
                .username(username).priority(1_853_824_767L).iceControlling(42);
        if (useCandidate) w.useCandidate();
        int n = w.messageIntegrity(StunIntegrity.shortTerm(password)).fingerprint();
        return msg.parse(out, 0, n);
    }

    @Test
    void credentials_meetRfc8445Lengths() {
        assertThat(local.ufrag()).hasSizeGreaterThanOrEqualTo(4).matches("[A-Za-z0-9+/]+");
        assertThat(local.password()).hasSizeGreaterThanOrEqualTo(22).matches("[A-Za-z0-9+/]+");
        assertThat(IceCredentials.random()).isNotEqualTo(local);
    }

    @Test
    void validCheck_answeredWithXorMappedAddressIntegrityAndFingerprint() throws Exception {
        agent.setRemoteUfrag("peer");
        StunMessage req = request(local.ufrag() + ":peer", local.password(), true);
        assertThat(agent.check(req)).isEqualTo(IceLiteAgent.VALID);
        byte[] tx = java.util.Arrays.copyOfRange(req.buffer(), 8, 20);
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 40000);
        byte[] out = new byte[200];
        int n = agent.writeSuccess(req, from, out, 0);
        StunMessage resp = new StunMessage().parse(out, 0, n);
        assertThat(resp.isBindingSuccess()).isTrue();
        assertThat(resp.hasTransactionId(tx, 0)).isTrue();
        assertThat(resp.xorMappedAddress()).isEqualTo(from);
        assertThat(StunIntegrity.shortTerm(local.password()).verify(resp)).isTrue();
        assertThat(StunIntegrity.verifyFingerprint(resp, new java.util.zip.CRC32())).isTrue();
    }

    @Test
    void wrongPassword_wrongUfrag_wrongRemoteUfrag_rejected() {
        agent.setRemoteUfrag("peer");
        assertThat(agent.check(request(local.ufrag() + ":peer", "not-the-password-at-all", false))).isEqualTo(IceLiteAgent.BAD_INTEGRITY);
        assertThat(agent.check(request("zzzz:peer", local.password(), false))).isEqualTo(IceLiteAgent.BAD_USERNAME);
        assertThat(agent.check(request(local.ufrag() + ":other", local.password(), false))).isEqualTo(IceLiteAgent.BAD_USERNAME);
        assertThat(agent.check(request(local.ufrag(), local.password(), false))).isEqualTo(IceLiteAgent.BAD_USERNAME);
    }

    @Test
    void corruptedFingerprint_rejected() {
        StunMessage req = request(local.ufrag() + ":peer", local.password(), false);
        byte[] b = req.buffer();
        b[req.length() - 1] ^= 1;
        assertThat(agent.check(new StunMessage().parse(b, 0, req.length()))).isEqualTo(IceLiteAgent.BAD_FINGERPRINT);
    }

    @Test
    void restart_acceptsOldUntilFirstCheckWithNew() {
        agent.setRemoteUfrag("peer");
        IceCredentials fresh = agent.restart("peer2");
        assertThat(fresh).isNotEqualTo(local);
        assertThat(agent.localCredentials()).isEqualTo(fresh);
        assertThat(agent.check(request(local.ufrag() + ":peer", local.password(), false))).isEqualTo(IceLiteAgent.VALID);
        assertThat(agent.restartCompleted()).isFalse();
        assertThat(agent.check(request(local.ufrag() + ":peer2", local.password(), false))).isEqualTo(IceLiteAgent.BAD_USERNAME);
        assertThat(agent.check(request(fresh.ufrag() + ":peer", fresh.password(), false))).isEqualTo(IceLiteAgent.BAD_USERNAME);
        assertThat(agent.check(request(fresh.ufrag() + ":peer2", fresh.password(), false))).isEqualTo(IceLiteAgent.VALID);
        assertThat(agent.restartCompleted()).isTrue();
        assertThat(agent.previousCredentials()).isNull();
        assertThat(agent.check(request(local.ufrag() + ":peer", local.password(), false))).isEqualTo(IceLiteAgent.BAD_USERNAME);
    }

    @Test
    void consent_expiresOnlyAfterTimeoutSinceLastValidCheck() {
        assertThat(agent.consentExpired(1_000_000_000_000L, 30)).isFalse(); // never checked: not expired
        agent.consentRefreshed(100);
        assertThat(agent.consentExpired(120, 30)).isFalse();
        assertThat(agent.consentExpired(131, 30)).isTrue();
    }

    @Test
    void hostCandidate_sdp() throws Exception {
        IceCandidate c = IceCandidate.host(InetAddress.getByName("127.0.0.1"), 5000, 65535);
        assertThat(c.toSdp()).matches("\\d+ 1 udp 2130706431 127\\.0\\.0\\.1 5000 typ host");
        assertThat(IceCandidate.rfc5952(InetAddress.getByName("::1").getAddress())).isEqualTo("::1");
        assertThat(IceCandidate.rfc5952(InetAddress.getByName("2001:db8:0:0:1:0:0:1").getAddress())).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IceCandidate.rfc5952(InetAddress.getByName("2001:db8:1:2:3:4:5:6").getAddress())).isEqualTo("2001:db8:1:2:3:4:5:6");
        assertThat(IceCandidate.rfc5952(InetAddress.getByName("fe80::").getAddress())).isEqualTo("fe80::");
        assertThat(IceCandidate.rfc5952(InetAddress.getByName("::").getAddress())).isEqualTo("::");
        assertThat(IceCandidate.rfc5952(InetAddress.getByName("1:0:2:0:3:0:4:0").getAddress())).isEqualTo("1:0:2:0:3:0:4:0");
    }
}

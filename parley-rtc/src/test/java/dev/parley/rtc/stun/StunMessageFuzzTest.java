package dev.parley.rtc.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.rtc.ice.IceCredentials;
import dev.parley.rtc.ice.IceLiteAgent;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.zip.CRC32;

/**
 * Fuzz target: any datagram handed to the STUN parser either parses or is rejected with
 * {@link StunFormatException}; a parsed message then goes through the same checks the UDP mux
 * applies (ICE-lite credentials, integrity, fingerprint, success response), none of which may
 * throw. Seeds: {@code StunMessageFuzzTestInputs/}. Long runs: {@code ./parley fuzz}.
 */
class StunMessageFuzzTest {
    private static final IceCredentials LOCAL = new IceCredentials("fuzzlocalufrag", "fuzzlocalpassword0123456");
    private static final InetSocketAddress FROM = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    @FuzzTest
    void parse(byte[] datagram) {
        StunMessage m = new StunMessage();
        try {
            m.parse(datagram, 0, datagram.length);
        } catch (StunFormatException expected) {
            return;
        }
        m.username();
        m.software();
        m.errorReason();
        m.xorMappedAddress();
        if (m.hasXorMappedAddress() && m.xorMappedFamily() == Stun.FAMILY_IPV4) {
            m.xorMappedIpv4();
        }
        StunIntegrity.verifyFingerprint(m, new CRC32());
        IceLiteAgent agent = new IceLiteAgent(LOCAL);
        if (agent.check(m) == IceLiteAgent.VALID) {
            agent.writeSuccess(m, FROM, new byte[1500], 0);
        }
    }
}

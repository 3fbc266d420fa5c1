package dev.parley.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.rtc.dtls.DtlsCertificate;
import dev.parley.rtc.srtp.SrtpProfile;
import org.junit.jupiter.api.Test;

class UdpReadersTest {

    @Test
    void aNewReaderThreadForEveryKPeersAndClosedPeersFreeTheirPlace() throws Exception {
        try (UdpReaders readers = new UdpReaders("test-udp", 3)) {
            UdpReactor first = readers.assign();
            assertThat(readers.assign()).isSameAs(first);
            assertThat(readers.assign()).isSameAs(first);
            UdpReactor second = readers.assign();
            assertThat(second).isNotSameAs(first);
            assertThat(readers.readerThreads()).isEqualTo(2);
        }
        try (UdpReaders readers = new UdpReaders("test-udp", 2);
                ClientPeer a = new ClientPeer(readers.assign(), DtlsCertificate.generate(), SrtpProfile.AEAD_AES_128_GCM)) {
            ClientPeer b = new ClientPeer(readers.assign(), DtlsCertificate.generate(), SrtpProfile.AEAD_AES_128_GCM);
            b.close();
            b.close();                                  // frees its place once
            readers.assign();                           // takes b's place
            assertThat(readers.readerThreads()).isEqualTo(1);
            readers.assign();
            assertThat(readers.readerThreads()).isEqualTo(2);
        }
        try (UdpReaders one = new UdpReaders("test-udp", 1)) {
            assertThat(one.assign()).isNotSameAs(one.assign());
        }
        assertThatThrownBy(() -> new UdpReaders("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

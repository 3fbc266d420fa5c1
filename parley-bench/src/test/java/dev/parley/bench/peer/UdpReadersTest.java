package dev.parley.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UdpReadersTest {

    @Test
    void aNewReaderThreadForEveryKPeers() {
        try (UdpReaders readers = new UdpReaders("test-udp", 3)) {
            UdpReactor first = readers.assign();
            assertThat(readers.assign()).isSameAs(first);
            assertThat(readers.assign()).isSameAs(first);
            UdpReactor second = readers.assign();
            assertThat(second).isNotSameAs(first);
            assertThat(readers.readerThreads()).isEqualTo(2);
        }
        try (UdpReaders one = new UdpReaders("test-udp", 1)) {
            assertThat(one.assign()).isNotSameAs(one.assign());
        }
        assertThatThrownBy(() -> new UdpReaders("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

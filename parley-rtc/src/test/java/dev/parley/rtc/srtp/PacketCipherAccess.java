package dev.parley.rtc.srtp;

final class PacketCipherAccess {
    static void writeInt(byte[] b, int o, int v) {
        PacketCipher.writeInt(b, o, v);
    }
}

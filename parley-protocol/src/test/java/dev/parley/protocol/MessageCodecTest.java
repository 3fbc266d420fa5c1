package dev.parley.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {

    @Test
    void W3_decodesReferenceClientOfferWithNullReplace() throws Exception {
        Message m = MessageCodec.decode(
                "{\"type\":\"offer\",\"source\":\"a\",\"username\":\"vimes\",\"kind\":\"\",\"id\":\"c9\",\"replace\":null,\"label\":\"camera\",\"sdp\":\"v=0\"}");
        assertThat(m.type()).isEqualTo("offer");
        assertThat(m.replace()).isNull();
        assertThat(m.label()).isEqualTo("camera");
        assertThat(m.username()).isEqualTo("vimes");
    }

    @Test
    void W3_numericTimeIsATypeError() {
        assertThatThrownBy(() -> MessageCodec.decode("{\"type\":\"chat\",\"time\":12}"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
    }

    @Test
    void W3_stringVersionAndNonObjectDataAreTypeErrors() {
        assertThatThrownBy(() -> MessageCodec.decode("{\"type\":\"handshake\",\"version\":\"2\"}"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
        assertThatThrownBy(() -> MessageCodec.decode("{\"type\":\"join\",\"data\":[1]}"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
        assertThatThrownBy(() -> MessageCodec.decode("[1,2]"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
        assertThatThrownBy(() -> MessageCodec.decode("{\"type\":"))
                .isInstanceOf(MessageCodec.MalformedMessageException.class);
    }

    @Test
    void W3_unknownFieldsAreIgnored() throws Exception {
        Message m = MessageCodec.decode("{\"type\":\"ping\",\"whatever\":[1,{}]}");
        assertThat(m.type()).isEqualTo("ping");
    }

    @Test
    void W4_emptyFieldsOmittedButUsernameKeptAndPrivilegedOnlyWhenTrue() {
        String json = MessageCodec.encode(Message.of("user").kind("delete").id("x").username("")
                .permissions(java.util.List.of()).privileged(false).build());
        assertThat(json).isEqualTo("{\"type\":\"user\",\"kind\":\"delete\",\"id\":\"x\",\"username\":\"\"}");
    }

    @Test
    void W4_valuePresentWhenNonNullEvenIfEmpty() {
        String json = MessageCodec.encode(Message.of("usermessage").value(Json.object()).privileged(true).build());
        assertThat(json).isEqualTo("{\"type\":\"usermessage\",\"privileged\":true,\"value\":{}}");
    }

    @Test
    void S22_candidateRoundTrips() throws Exception {
        Message m = MessageCodec.decode("{\"type\":\"ice\",\"id\":\"s\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
        assertThat(m.candidate().sdpMLineIndex()).isZero();
        Message back = MessageCodec.decode(MessageCodec.encode(m));
        assertThat(back.candidate()).isEqualTo(m.candidate());
    }
}

package dev.parley.rtc.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

final class SdpResources {
    private SdpResources() {
    }

    static String load(String name) {
        try (InputStream in = SdpResources.class.getResourceAsStream("/sdp/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

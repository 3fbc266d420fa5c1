package dev.parley.server.http;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A streaming HTTP/1.1 GET over a real socket (plain or TLS): the body is counted and
 * checksummed as it arrives, never held, so a test can download gigabytes.
 */
final class Download {
    /** What arrived: status, headers (lower-case names), body length, CRC-32 of the body, and the bytes at {@code sampleAt}. */
    record Result(int status, Map<String, String> headers, long bodyBytes, long crc, byte[] sample) {
        long contentLength() {
            return Long.parseLong(headers.get("content-length"));
        }
    }

    private Download() {
    }

    static Result get(int port, boolean tls, String target, String authorization, long sampleAt, int sampleLength)
            throws Exception {
        return request(port, tls, "GET", target, authorization == null ? "" : "Authorization: " + authorization + "\r\n",
                sampleAt, sampleLength);
    }

    /** {@code headers}: extra header lines, each ending in CRLF. Reads until the server closes. */
    static Result request(int port, boolean tls, String method, String target, String headers, long sampleAt,
                          int sampleLength) throws Exception {
        try (Socket s = open(port, tls)) {
            s.setSoTimeout(60_000);
            String request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + headers + "Connection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            int status = Integer.parseInt(line(in).split(" ")[1]);
            Map<String, String> received = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                received.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            CRC32 crc = new CRC32();
            byte[] sample = new byte[sampleLength];
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
                copySample(buf, n, total, sampleAt, sample);
                total += n;
            }
            return new Result(status, received, total, crc.getValue(), sample);
        }
    }

    private static void copySample(byte[] buf, int n, long bufStart, long sampleAt, byte[] sample) {
        long from = Math.max(bufStart, sampleAt);
        long to = Math.min(bufStart + n, sampleAt + sample.length);
        if (from < to) {
            System.arraycopy(buf, (int) (from - bufStart), sample, (int) (from - sampleAt), (int) (to - from));
        }
    }

    static Socket open(int port, boolean tls) throws Exception {
        if (!tls) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            return s;
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, new TrustManager[]{new X509TrustManager() {
            // the test server's certificate is self-signed, generated for this run
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ssl.getSocketFactory().createSocket("127.0.0.1", port);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("connection closed in the response head");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}

package dev.parley.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests the JDK client will not send as written: odd
 * paths ({@code //x}, {@code /a/../b}), any {@code Host} header, WebSocket upgrade attempts.
 * One request per connection ({@code Connection: close}).
 */
public final class RawHttp {
    private final int port;
    private String method = "GET";
    private String target = "/";
    private final List<String[]> headers = new ArrayList<>();
    private byte[] body;
    private boolean hostSet;

    private RawHttp(int port) {
        this.port = port;
    }

    public static RawHttp to(int port) {
        return new RawHttp(port);
    }

    public static RawHttp to(TestServer server) {
        return new RawHttp(server.port());
    }

    public RawHttp method(String m) {
        this.method = m;
        return this;
    }

    /** The request target exactly as sent, e.g. {@code /a/../b?x=1}. */
    public RawHttp target(String t) {
        this.target = t;
        return this;
    }

    public RawHttp header(String name, String value) {
        if (name.equalsIgnoreCase("Host")) {
            hostSet = true;
        }
        headers.add(new String[]{name, value});
        return this;
    }

    public RawHttp body(String contentType, String text) {
        header("Content-Type", contentType);
        this.body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public Response send() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            if (!hostSet) {
                head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            for (String[] h : headers) {
                head.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            boolean upgrade = headers.stream().anyMatch(h -> h[0].equalsIgnoreCase("Upgrade"));
            if (!upgrade) {
                head.append("Connection: close\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            boolean expectContinue = headers.stream()
                    .anyMatch(h -> h[0].equalsIgnoreCase("Expect") && h[1].equalsIgnoreCase("100-continue"));
            if (body != null && expectContinue) {
                Response interim = Response.read(s.getInputStream(), false);
                if (interim.status() != 100) {
                    return interim;
                }
            }
            if (body != null) {
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException e) {
                    // The server may have answered early (e.g. 413) and closed; read what it said.
                }
            }
            return Response.read(s.getInputStream(), method.equals("HEAD"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A parsed response; header names are lower-cased. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.getFirst();
        }

        public List<String> headerValues(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public static Response read(InputStream in, boolean head) throws IOException {
            String statusLine = line(in);
            if (statusLine == null) {
                throw new IOException("connection closed before a response");
            }
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            String l;
            while ((l = line(in)) != null && !l.isEmpty()) {
                int colon = l.indexOf(':');
                headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(l.substring(colon + 1).trim());
            }
            byte[] body;
            List<String> length = headers.get("content-length");
            if (head || status == 204 || status == 304 || status / 100 == 1) {
                body = new byte[0];
            } else if (length != null) {
                body = in.readNBytes(Integer.parseInt(length.getFirst()));
            } else if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
                body = chunked(in);
            } else {
                body = in.readAllBytes();
            }
            return new Response(status, headers, body);
        }

        private static byte[] chunked(InputStream in) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    line(in);
                    return out.toByteArray();
                }
                out.write(in.readNBytes(n));
                line(in);
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.ISO_8859_1);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }
    }
}

package dev.parley.server.http;

import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.RawHttp.Response;
import dev.parley.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9: recordings and static files of any size are streamed from disk (200, 206, 416, HEAD,
 * conditional requests) over plain sockets and TLS, with a flat heap. The big files are
 * sparse, so they take no disk space; random blocks make their content checkable.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FileStreamingTest {
    static final long HUGE = 3L << 30;                   // past 2^31: no int arithmetic anywhere
    static final long MID = 200L << 20;
    /** Far below any file served whole here: the body never passes through the heap. */
    static final long HEAP_BOUND = 100L << 20;
    static final Instant OLD = Instant.ofEpochSecond(1_650_000_000L, 7);
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("rec:r".getBytes(StandardCharsets.UTF_8));

    @TempDir
    static Path base;
    static TestServer plain;
    static TestServer tls;
    static Path huge;
    static Path mid;
    static Path staticBig;

    @BeforeAll
    static void start() throws Exception {
        Path staticDir = Files.createDirectories(base.resolve("static"));
        Files.writeString(staticDir.resolve("index.html"), "<p>landing</p>");
        staticBig = sparse(staticDir.resolve("big.bin"), MID, 0, MID / 2, MID - (1 << 20));
        assertThat(new ProcessBuilder("mkfifo", staticDir.resolve("fifo.bin").toString()).inheritIO().start().waitFor()).isZero();
        String group = """
                {"allow-recording": true, "users": {"rec": {"password": "r", "permissions": "op"}}}""";
        plain = TestServer.builder().staticDir(staticDir).start(f -> f.group("rec", group));
        tls = TestServer.builder().staticDir(staticDir).tls().start(f -> f.group("rec", group));
        Path dir = Files.createDirectories(plain.recordingsDir().resolve("rec"));
        huge = sparse(dir.resolve("huge.mkv"), HUGE, 0, (1L << 31) - (1 << 19), HUGE - (1 << 20));
        mid = sparse(dir.resolve("mid.webm"), MID, 0, MID / 3, MID - (1 << 20));
    }

    @AfterAll
    static void stop() {
        plain.close();
        tls.close();
    }

    /** A sparse file of {@code size} bytes with 1 MiB of seeded random bytes at each offset. */
    static Path sparse(Path p, long size, long... blocks) throws Exception {
        Random random = new Random(p.getFileName().toString().hashCode());
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
            byte[] block = new byte[1 << 20];
            for (long at : blocks) {
                random.nextBytes(block);
                f.seek(at);
                f.write(block);
            }
        }
        Files.setLastModifiedTime(p, FileTime.from(OLD));
        return p;
    }

    static long crcOf(Path p) throws Exception {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            while (ch.read(buf) > 0) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
        }
        return crc.getValue();
    }

    static byte[] bytesOf(Path p, long at, int length) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(length);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf, at + buf.position()) > 0) {
                // until full
            }
        }
        return buf.array();
    }

    static RawHttp recording(String method, String name) {
        return RawHttp.to(plain).method(method).target("/recordings/rec/" + name).header("Authorization", AUTH);
    }

    @Test
    void H43_aThreeGigabyteRecordingIsStreamedWithAFlatHeap() throws Exception {
        long expectedCrc = crcOf(huge);
        long sampleAt = (1L << 31) - 1000;
        HeapPeak heap = new HeapPeak();
        Download.Result r;
        try (heap) {
            r = Download.get(plain.port(), false, "/recordings/rec/huge.mkv", AUTH, sampleAt, 4096);
        }
        System.out.println("3 GiB download: " + heap);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentLength()).isEqualTo(HUGE);
        assertThat(r.headers().get("content-type")).isEqualTo("video/x-matroska");     // issue 15
        assertThat(r.headers().get("accept-ranges")).isEqualTo("bytes");
        assertThat(r.bodyBytes()).isEqualTo(HUGE);
        assertThat(r.sample()).isEqualTo(bytesOf(huge, sampleAt, 4096));
        assertThat(r.crc()).isEqualTo(expectedCrc);
        assertThat(heap.growth()).isLessThan(HEAP_BOUND);
    }

    @Test
    void H43_fourConcurrentDownloadsAllComplete() throws Exception {
        long expectedCrc = crcOf(mid);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        HeapPeak heap = new HeapPeak();
        try {
            List<Future<Download.Result>> downloads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                downloads.add(pool.submit(() -> Download.get(plain.port(), false, "/recordings/rec/mid.webm", AUTH, 0, 16)));
            }
            for (Future<Download.Result> d : downloads) {
                Download.Result r = d.get(5, TimeUnit.MINUTES);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.contentLength()).isEqualTo(MID);
                assertThat(r.bodyBytes()).isEqualTo(MID);
                assertThat(r.crc()).isEqualTo(expectedCrc);
            }
        } finally {
            pool.shutdownNow();
            heap.close();
        }
        System.out.println("4 x 200 MiB downloads: " + heap);
        assertThat(heap.growth()).isLessThan(HEAP_BOUND);
    }

    @Test
    void H10_aLargeStaticFileIsStreamedOverTls() throws Exception {
        HeapPeak heap = new HeapPeak();
        Download.Result r;
        try (heap) {
            r = Download.get(tls.port(), true, "/big.bin", null, MID / 2 - 10, 4096);
        }
        // Printed, not asserted: the JDK's TLS client in this JVM makes garbage per record.
        System.out.println("200 MiB over TLS: " + heap);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentLength()).isEqualTo(MID);
        assertThat(r.bodyBytes()).isEqualTo(MID);
        assertThat(r.sample()).isEqualTo(bytesOf(staticBig, MID / 2 - 10, 4096));
        assertThat(r.crc()).isEqualTo(crcOf(staticBig));
        assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");      // H6 still there
    }

    @Test
    void H10_rangesOverTlsAndPlainGiveTheExactBytes() throws Exception {
        for (TestServer server : List.of(plain, tls)) {
            long from = MID / 2 - 100;
            Download.Result r = Download.request(server.port(), server == tls, "GET", "/big.bin",
                    "Range: bytes=" + from + "-" + (from + 999) + "\r\n", 0, 1000);
            assertThat(r.status()).isEqualTo(206);
            assertThat(r.headers().get("content-range")).isEqualTo("bytes " + from + "-" + (from + 999) + "/" + MID);
            assertThat(r.bodyBytes()).isEqualTo(1000);
            assertThat(r.sample()).isEqualTo(bytesOf(staticBig, from, 1000));
        }
    }

    @Test
    void H43_singleRangesAreExact() throws Exception {
        long across = (1L << 31) - 512;                  // straddles 2^31
        Response r = recording("GET", "huge.mkv").header("Range", "bytes=" + across + "-" + (across + 1023)).send();
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes " + across + "-" + (across + 1023) + "/" + HUGE);
        assertThat(r.header("Content-Length")).isEqualTo("1024");
        assertThat(r.body()).isEqualTo(bytesOf(huge, across, 1024));

        Response suffix = recording("GET", "huge.mkv").header("Range", "bytes=-100").send();
        assertThat(suffix.status()).isEqualTo(206);
        assertThat(suffix.header("Content-Range")).isEqualTo("bytes " + (HUGE - 100) + "-" + (HUGE - 1) + "/" + HUGE);
        assertThat(suffix.body()).isEqualTo(bytesOf(huge, HUGE - 100, 100));

        Response open = recording("POST", "huge.mkv").header("Range", "bytes=" + (HUGE - 10) + "-").send();
        assertThat(open.status()).isEqualTo(206);
        assertThat(open.body()).isEqualTo(bytesOf(huge, HUGE - 10, 10));

        Response clipped = recording("GET", "huge.mkv").header("Range", "bytes=" + (HUGE - 3) + "-" + (HUGE + 1000)).send();
        assertThat(clipped.status()).isEqualTo(206);
        assertThat(clipped.header("Content-Range")).isEqualTo("bytes " + (HUGE - 3) + "-" + (HUGE - 1) + "/" + HUGE);
        assertThat(clipped.body()).isEqualTo(bytesOf(huge, HUGE - 3, 3));
    }

    @Test
    void H43_severalRangesAreMultipartByteranges() throws Exception {
        Response r = recording("GET", "mid.webm").header("Range", "bytes=0-9, 100-119").send();
        assertThat(r.status()).isEqualTo(206);
        String type = r.header("Content-Type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        byte[] expected = concat(
                ("--" + boundary + "\r\nContent-Range: bytes 0-9/" + MID + "\r\nContent-Type: video/webm\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                bytesOf(mid, 0, 10),
                ("\r\n--" + boundary + "\r\nContent-Range: bytes 100-119/" + MID + "\r\nContent-Type: video/webm\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                bytesOf(mid, 100, 20),
                ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(r.body()).isEqualTo(expected);
        assertThat(r.header("Content-Length")).isEqualTo(String.valueOf(expected.length));
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void H43_unsatisfiableAndMalformedRangesAre416() {
        for (String range : List.of("bytes=" + HUGE + "-", "bytes=" + (HUGE + 5) + "-" + (HUGE + 9), "bytes=-0")) {
            Response r = recording("GET", "huge.mkv").header("Range", range).send();
            assertThat(r.status()).as(range).isEqualTo(416);
            assertThat(r.header("Content-Range")).as(range).isEqualTo("bytes */" + HUGE);
        }
        for (String range : List.of("bytes=5-2", "bytes=x-3", "bytes=1-2-3", "bytes=--5")) {
            assertThat(recording("GET", "huge.mkv").header("Range", range).send().status()).as(range).isEqualTo(416);
        }
    }

    @Test
    void H43_rangesThatCannotBeServedAsRangesGiveTheWholeFile() {
        // An unknown unit is ignored (RFC 9110), and so are ranges adding up to more than the file.
        for (String range : List.of("items=0-5", "bytes=0-,0-", "bytes=")) {
            Response r = recording("HEAD", "huge.mkv").header("Range", range).send();
            assertThat(r.status()).as(range).isEqualTo(200);
            assertThat(r.header("Content-Length")).as(range).isEqualTo(String.valueOf(HUGE));
        }
    }

    @Test
    void H43_ifRangeAppliesTheRangeOnlyToTheSameVersion() {
        String etag = recording("HEAD", "huge.mkv").send().header("ETag");
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(OLD.atZone(ZoneOffset.UTC));
        assertThat(recording("HEAD", "huge.mkv").header("Range", "bytes=0-9").header("If-Range", etag).send().status())
                .isEqualTo(206);
        assertThat(recording("HEAD", "huge.mkv").header("Range", "bytes=0-9").header("If-Range", date).send().status())
                .isEqualTo(206);
        assertThat(recording("HEAD", "huge.mkv").header("Range", "bytes=0-9").header("If-Range", "\"1-2\"").send().status())
                .isEqualTo(200);
        assertThat(recording("HEAD", "huge.mkv").header("Range", "bytes=0-9").header("If-Range", "W/" + etag).send().status())
                .isEqualTo(200);
    }

    @Test
    void H10_pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        for (TestServer server : List.of(plain, tls)) {
            try (java.net.Socket s = Download.open(server.port(), server == tls)) {
                s.setSoTimeout(60_000);
                String host = "Host: 127.0.0.1\r\n";
                String requests = "GET /big.bin HTTP/1.1\r\n" + host + "Range: bytes=0-99999\r\n\r\n"
                        + "HEAD /big.bin HTTP/1.1\r\n" + host + "\r\n"
                        + "GET /index.html HTTP/1.1\r\n" + host + "\r\n"
                        + "GET /big.bin HTTP/1.1\r\n" + host + "Range: bytes=-5\r\nConnection: close\r\n\r\n";
                s.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
                var in = new java.io.BufferedInputStream(s.getInputStream());
                Response first = Response.read(in, false);
                assertThat(first.status()).isEqualTo(206);
                assertThat(first.body()).isEqualTo(bytesOf(staticBig, 0, 100_000));
                Response head = Response.read(in, true);
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(MID));
                assertThat(Response.read(in, false).text()).isEqualTo("<p>landing</p>");
                Response last = Response.read(in, false);
                assertThat(last.status()).isEqualTo(206);
                assertThat(last.body()).isEqualTo(bytesOf(staticBig, MID - 5, 5));
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void H10_onlyRegularFilesAreServed() {
        // Opening a FIFO would wait for a writer forever: it is not a file to serve.
        assertThat(RawHttp.to(plain).target("/fifo.bin").send().status()).isEqualTo(404);
        assertThat(RawHttp.to(plain).target("/index.html").send().status()).isEqualTo(200);
    }

    @Test
    void H43_headHasTheLengthAndNoBody() throws Exception {
        Download.Result r = Download.request(plain.port(), false, "HEAD", "/recordings/rec/huge.mkv",
                "Authorization: " + AUTH + "\r\n", 0, 0);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentLength()).isEqualTo(HUGE);
        assertThat(r.bodyBytes()).isZero();
        Download.Result ranged = Download.request(tls.port(), true, "HEAD", "/big.bin", "Range: bytes=10-19\r\n", 0, 0);
        assertThat(ranged.status()).isEqualTo(206);
        assertThat(ranged.contentLength()).isEqualTo(10);
        assertThat(ranged.bodyBytes()).isZero();
    }

    @Test
    void H43_conditionalRequestsStillWork() {
        String etag = recording("HEAD", "huge.mkv").send().header("ETag");
        assertThat(etag).isEqualTo("\"" + HUGE + "-" + (OLD.getEpochSecond() * 1_000_000_000L + OLD.getNano()) + "\"");
        Response inm = recording("GET", "huge.mkv").header("If-None-Match", etag).send();
        assertThat(inm.status()).isEqualTo(304);
        assertThat(inm.body()).isEmpty();
        Response ims = recording("HEAD", "huge.mkv").header("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT").send();
        assertThat(ims.status()).isEqualTo(200);
        assertThat(ims.header("Content-Length")).isEqualTo(String.valueOf(HUGE));
        Response later = RawHttp.to(plain).method("HEAD").target("/big.bin")
                .header("If-Modified-Since", DateTimeFormatter.RFC_1123_DATE_TIME.format(OLD.plusSeconds(5).atZone(ZoneOffset.UTC)))
                .send();
        assertThat(later.status()).isEqualTo(304);
        assertThat(recording("GET", "huge.mkv").header("If-Match", "\"other\"").send().status()).isEqualTo(412);
    }
}

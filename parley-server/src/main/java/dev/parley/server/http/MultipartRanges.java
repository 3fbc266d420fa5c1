package dev.parley.server.http;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A {@code multipart/byteranges} body (RFC 9110 §14.6) for a request with several ranges, laid
 * out as the reference's (Go's) multipart writer does: boundary lines, {@code Content-Range}
 * then {@code Content-Type} in each part, the file's bytes between.
 */
record MultipartRanges(String contentType, List<FileResponse.Piece> pieces) {
    private static final SecureRandom RANDOM = new SecureRandom();

    static MultipartRanges of(List<ByteRanges.Range> ranges, String partType, long size) {
        byte[] random = new byte[30];
        RANDOM.nextBytes(random);
        String boundary = HexFormat.of().formatHex(random);
        List<FileResponse.Piece> pieces = new ArrayList<>();
        String separator = "";
        for (ByteRanges.Range r : ranges) {
            String head = separator + "--" + boundary + "\r\n"
                    + "Content-Range: " + r.contentRange(size) + "\r\n"
                    + "Content-Type: " + partType + "\r\n\r\n";
            pieces.add(new FileResponse.Bytes(head.getBytes(StandardCharsets.US_ASCII)));
            pieces.add(new FileResponse.Region(r.first(), r.length()));
            separator = "\r\n";
        }
        pieces.add(new FileResponse.Bytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return new MultipartRanges("multipart/byteranges; boundary=" + boundary, pieces);
    }
}

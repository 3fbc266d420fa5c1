package dev.parley.server.recordings;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.parley.server.recordings.Responses.escape;
import static dev.parley.server.recordings.Responses.response;
import static dev.parley.server.recordings.Responses.text;

/** The HTML page that lists a group's recordings (H40). */
final class RecordingsPage {
    private static final Logger log = LoggerFactory.getLogger(RecordingsPage.class);

    private RecordingsPage() {
    }

    /** H40: every non-directory entry, by name, with its size and a delete button. */
    static FullHttpResponse listing(Path dir, String group) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> !Files.isDirectory(f)).sorted().toList();
        } catch (IOException e) {
            log.warn("listing {}: {}", dir, e.getMessage());
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal server error");
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html><head>\n<meta charset=\"utf-8\">\n<title>Recordings for group ")
                .append(Html.escape(group)).append("</title>\n")
                .append("<link rel=\"stylesheet\" type=\"text/css\" href=\"/common.css\"/>\n</head><body>\n<table>\n");
        String action = escape("/recordings/" + group + "/");
        for (Path f : files) {
            String name = f.getFileName().toString();
            long size;
            try {
                size = Files.size(f);
            } catch (IOException e) {
                continue;
            }
            html.append("<tr><td><a href=\"./").append(Html.escape(escape(name))).append("\">")
                    .append(Html.escape(name)).append("</a></td><td>").append(size).append("</td>")
                    .append("<td><form action=\"").append(Html.escape(action)).append("\" method=\"post\">")
                    .append("<input type=\"hidden\" name=\"filename\" value=\"").append(Html.escape(name)).append("\">")
                    .append("<button type=\"submit\" name=\"q\" value=\"delete\">Delete</button></form></td></tr>\n");
        }
        html.append("</table>\n</body></html>\n");
        FullHttpResponse r = response(HttpResponseStatus.OK, "text/html; charset=utf-8",
                html.toString().getBytes(StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }
}

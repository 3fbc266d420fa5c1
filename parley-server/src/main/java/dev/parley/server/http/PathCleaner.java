package dev.parley.server.http;

import java.util.ArrayDeque;
import java.util.Deque;

/** Cleans URL paths the way the reference's mux does before routing (H4). */
final class PathCleaner {
    private PathCleaner() {
    }

    /**
     * Lexical cleaning: no "." or ".." segments and no repeated slashes. A trailing slash is
     * kept only if the original path ended with one ("/a/." cleans to "/a", as in the reference).
     */
    static String clean(String path) {
        if (path.isEmpty()) {
            return "/";
        }
        Deque<String> out = new ArrayDeque<>();
        for (String seg : path.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                out.pollLast();
            } else {
                out.addLast(seg);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String seg : out) {
            sb.append('/').append(seg);
        }
        if (sb.isEmpty()) {
            return "/";
        }
        if (path.endsWith("/")) {
            sb.append('/');
        }
        return sb.toString();
    }
}

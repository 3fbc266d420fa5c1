package dev.parley.server.http;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the web client's files come from: the directory given with {@code -static}, or the
 * built-in client packaged with the server. Lookups are confined to the root (H10).
 */
public final class StaticRoot {
    private final Path root;

    private StaticRoot(Path root) {
        this.root = root;
    }

    public static StaticRoot directory(Path dir) {
        return new StaticRoot(dir.toAbsolutePath().normalize());
    }

    /** The built-in web client, from the server's class path (a directory or the jar). */
    public static StaticRoot builtIn() throws IOException {
        URL url = StaticRoot.class.getResource("/static/index.html");
        if (url == null) {
            throw new IOException("the built-in web client is missing from the class path");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // opened by an earlier server in this JVM
                }
            }
            return new StaticRoot(Path.of(uri).getParent());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    /**
     * Resolves a cleaned URL path ("/a/b.js") inside the root, or null if it would leave the
     * root or names something that does not exist.
     */
    public Path resolve(String urlPath) {
        String rel = urlPath.startsWith("/") ? urlPath.substring(1) : urlPath;
        if (rel.contains("\0") || rel.contains("\\")) {
            return null;
        }
        Path p;
        try {
            p = root.resolve(rel).normalize();
        } catch (RuntimeException e) {
            return null;
        }
        if (!p.startsWith(root) || !Files.exists(p)) {
            return null;
        }
        // H10: a symbolic link must not lead out of the root either.
        try {
            if (!p.toRealPath().startsWith(root.toRealPath())) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return p;
    }

    public Path file(String name) {
        return root.resolve(name);
    }
}

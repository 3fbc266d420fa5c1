package dev.parley.server.http;

/**
 * A path split at its first "/." (H14): {@code /group/a/.status/x} is dir {@code /group/a},
 * kind {@code .status} and rest {@code /x}. Without "/." the kind and rest are empty.
 */
record SplitPath(String dir, String kind, String rest) {
    static SplitPath of(String path) {
        int i = path.indexOf("/.");
        if (i < 0) {
            return new SplitPath(path, "", "");
        }
        int j = path.indexOf('/', i + 1);
        return j < 0
                ? new SplitPath(path.substring(0, i), path.substring(i + 1), "")
                : new SplitPath(path.substring(0, i), path.substring(i + 1, j), path.substring(j));
    }
}

package dev.parley.server.api;

/**
 * A path split at its first "/." as the reference does: {@code /g/.users/bob} is dir
 * {@code /g}, kind {@code .users} and rest {@code /bob}. Without "/." kind and rest are empty.
 */
record ApiPath(String dir, String kind, String rest) {
    static ApiPath of(String path) {
        int i = path.indexOf("/.");
        if (i < 0) {
            return new ApiPath(path, "", "");
        }
        int j = path.indexOf('/', i + 1);
        return j < 0 ? new ApiPath(path.substring(0, i), path.substring(i + 1), "")
                : new ApiPath(path.substring(0, i), path.substring(i + 1, j), path.substring(j));
    }
}

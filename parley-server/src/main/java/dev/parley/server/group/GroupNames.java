package dev.parley.server.group;

/** Validity of group names and usernames (G1, D7). */
public final class GroupNames {
    private GroupNames() {
    }

    /**
     * A name is valid when it is non-empty, has no backslash, no leading or trailing slash,
     * and no empty, "." or ".." segment (G1). NUL is refused too: no file system takes it.
     */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}

package dev.parley.server.auth;

/** D7: the username a client ends up with must be empty or a valid name under the G1 rules. */
public final class Usernames {
    private Usernames() {
    }

    /** {@code ""} is allowed; otherwise no backslash and no empty, {@code .} or {@code ..} segment. */
    public static boolean isValid(String username) {
        return username.isEmpty() || isValidName(username);
    }

    /** G1 name rules, which also apply to group names (where {@code ""} is not allowed). */
    public static boolean isValidName(String name) {
        if (name.isEmpty() || name.indexOf('\\') >= 0) {
            return false;
        }
        // Splitting with a negative limit keeps the empty segments produced by leading, trailing or
        // doubled slashes, which cleaning "/"+name would remove.
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}

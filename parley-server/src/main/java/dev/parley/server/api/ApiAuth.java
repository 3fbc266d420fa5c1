package dev.parley.server.api;

import dev.parley.server.ServerContext;
import dev.parley.server.auth.AuthPolicy;
import dev.parley.server.auth.AuthResult;
import dev.parley.server.auth.MalformedPasswordException;
import dev.parley.server.auth.Permissions;
import dev.parley.server.auth.UserDescription;

/** Who may use the administrative API (H45). Blocking: password hashes are checked here. */
final class ApiAuth {
    private final ServerContext ctx;
    private final GroupFiles files;

    ApiAuth(ServerContext ctx, GroupFiles files) {
        this.ctx = ctx;
        this.files = files;
    }

    /** An administrator of {@code group}, or a global one when the group is "" (the root). */
    boolean isAdmin(ApiCall c, String group) {
        return group.isEmpty() ? isGlobalAdmin(c.credentials()) : isGroupAdmin(group, c.credentials());
    }

    /** H45: 401 with the Basic challenge unless {@link #isAdmin}. */
    void requireAdmin(ApiCall c, String group) throws ApiException {
        if (!isAdmin(c, group)) {
            throw ApiException.challenge();
        }
    }

    /** (a) or (c): a global administrator. */
    boolean isGlobalAdmin(Credentials c) {
        return configAdmin(c) || ctx.authoriser().isGlobalAdminToken(c.token());
    }

    /** (a) or (b): an administrator of {@code group}. */
    boolean isGroupAdmin(String group, Credentials c) {
        if (configAdmin(c)) {
            return true;
        }
        AuthPolicy policy = files.policy(group);
        if (policy == null) {
            return false;
        }
        AuthResult r = ctx.authoriser().authorise(group, policy, c.username(), c.password(), c.token());
        return r instanceof AuthResult.Granted g && g.permissions().contains(Permissions.ADMIN);
    }

    /** (d): the Basic password is that of the named user; the Basic username is not compared. */
    boolean isUserWithPassword(String group, String user, Credentials c) {
        if (user.isEmpty()) {
            return false;
        }
        AuthPolicy policy = files.policy(group);
        UserDescription u = policy == null ? null : policy.users().get(user);
        return u != null && matches(u, c.password());
    }

    /** (a): a {@code users} entry of config.json whose permissions include {@code admin}. */
    private boolean configAdmin(Credentials c) {
        if (c.username() == null) {
            return false;
        }
        UserDescription u = ctx.config().get().users().get(c.username());
        return u != null && matches(u, c.password()) && Permissions.includes(u.permissions(), Permissions.ADMIN);
    }

    private static boolean matches(UserDescription u, String password) {
        try {
            return u.password().matches(password);
        } catch (MalformedPasswordException e) {
            return false;
        }
    }
}

package dev.parley.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides who a joining client is and what it may do (J5, D1–D11). Blocking: password hashing takes
 * time, so call it from a virtual thread. It never delays failures itself; the caller holds back
 * "not authorised" replies by 200 ms (J10).
 */
public final class Authoriser {
    private static final Logger LOG = LoggerFactory.getLogger(Authoriser.class);

    private final TokenStore tokens;
    private final Supplier<String> canonicalHost;
    private final Clock clock;

    /**
     * @param canonicalHost the config's {@code canonicalHost}, read on each call; null or empty when
     *     unset (then JWT audiences may name any host)
     */
    public Authoriser(TokenStore tokens, Supplier<String> canonicalHost, Clock clock) {
        this.tokens = tokens;
        this.canonicalHost = canonicalHost;
        this.clock = clock;
    }

    /**
     * J5: a non-empty token means token authorisation (the password is ignored); otherwise a present
     * username (possibly {@code ""}) means password authorisation; otherwise an internal error.
     *
     * @param username null when the client sent none
     */
    public AuthResult authorise(String group, AuthPolicy policy, String username, String password, String token) {
        if (token != null && !token.isEmpty()) {
            return authoriseToken(group, policy, username, token);
        }
        if (username != null) {
            return authorisePassword(policy, username, password);
        }
        return new AuthResult.Failed("neither username nor token provided");
    }

    /** D1, D5, D7: password authorisation only (also for the API and recordings). */
    public AuthResult authorisePassword(AuthPolicy policy, String username, String password) {
        if (username == null) {
            return new AuthResult.Failed("username not provided");
        }
        String given = password == null ? "" : password;
        UserDescription user = policy.users().get(username);
        UserDescription granting;
        if (user != null) {
            // A named entry shadows the wildcard user entirely (D1).
            try {
                if (!user.password().matches(given)) {
                    return new AuthResult.Denied();
                }
            } catch (MalformedPasswordException e) {
                return new AuthResult.Failed("malformed password for user " + username + ": " + e.getMessage());
            }
            granting = user;
        } else if (policy.wildcardUser() != null && wildcardMatches(policy.wildcardUser(), given)) {
            granting = policy.wildcardUser();
        } else {
            return new AuthResult.Denied();
        }
        if (!Usernames.isValid(username)) {
            return new AuthResult.Denied();
        }
        try {
            return new AuthResult.Granted(username,
                    Permissions.expand(granting.permissions(), policy.allowRecording(), policy.unrestrictedTokens()));
        } catch (UnknownPermissionException e) {
            return new AuthResult.Failed(e.getMessage());
        }
    }

    private static boolean wildcardMatches(UserDescription wildcard, String given) {
        try {
            return wildcard.password().matches(given);
        } catch (MalformedPasswordException e) {
            // D5: in the wildcard path a malformed record is just a mismatch.
            return false;
        }
    }

    /** D8–D11: a JWT first; anything that is not syntactically a JWT names a stateful token. */
    private AuthResult authoriseToken(String group, AuthPolicy policy, String username, String token) {
        JwtVerifier.Outcome outcome =
                JwtVerifier.verify(token, group, policy.authKeys(), canonicalHost.get(), clock.instant());
        return switch (outcome) {
            case JwtVerifier.Accepted a -> grant(policy, a.subject(), false, a.permissions(), username);
            case JwtVerifier.Rejected r -> {
                LOG.debug("JWT rejected for group {}: {}", group, r.reason());
                yield new AuthResult.Denied();
            }
            case JwtVerifier.NotJwt n -> authoriseStateful(group, policy, username, token);
        };
    }

    private AuthResult authoriseStateful(String group, AuthPolicy policy, String username, String name) {
        Optional<StatefulToken> found = tokens.get(name);
        if (found.isEmpty()) {
            return new AuthResult.Denied();
        }
        StatefulToken t = found.get();
        // The reference asks for a username before checking validity, so the probe of D10 answers
        // need-username even for a token that would then be refused.
        if (username == null && t.username() == null) {
            return new AuthResult.NeedUsername();
        }
        if (!t.validFor(group, clock.instant())) {
            return new AuthResult.Denied();
        }
        return grant(policy, t.username(), t.username() == null,
                t.permissions() == null ? List.of() : t.permissions(), username);
    }

    /** D9, D10, D7, P5. */
    private static AuthResult grant(AuthPolicy policy, String tokenUsername, boolean needsUsername,
                                    List<String> permissions, String clientUsername) {
        String result;
        if (tokenUsername != null && !tokenUsername.isEmpty()) {
            result = tokenUsername;
        } else if (clientUsername != null) {
            if (policy.users().containsKey(clientUsername)) {
                return new AuthResult.DuplicateUsername();
            }
            result = clientUsername;
        } else if (needsUsername) {
            return new AuthResult.NeedUsername();
        } else {
            result = "";
        }
        if (!Usernames.isValid(result)) {
            return new AuthResult.Denied();
        }
        return new AuthResult.Granted(result, new ArrayList<>(permissions));
    }

    /** H45(c): a stateful token for the root with subgroups, valid now, carrying {@code admin}. */
    public boolean isGlobalAdminToken(String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            return false;
        }
        return tokens.get(bearer).map(t -> t.isGlobalAdmin(clock.instant())).orElse(false);
    }

    /** D13: throws if {@code jwk} is not an accepted key (for the API's key upload, H57). */
    public static void validateAuthKey(JsonNode jwk) throws InvalidDescriptionException {
        try {
            JwtVerifier.validateKey(jwk);
        } catch (IllegalArgumentException e) {
            throw new InvalidDescriptionException("invalid key: " + e.getMessage(), e);
        }
    }
}

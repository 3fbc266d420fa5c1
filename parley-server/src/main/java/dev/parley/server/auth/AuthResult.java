package dev.parley.server.auth;

import java.util.List;

/** The outcome of authorising a join (D1–D11, J7, J9). */
public sealed interface AuthResult {

    /** The {@code value} text of a {@code joined fail} reply, or null on success. */
    String failureText();

    /** The {@code error} id of a {@code joined fail} reply (J7), or null. */
    default String errorId() {
        return null;
    }

    /** @param permissions owned by this result; the caller may keep and mutate it */
    record Granted(String username, List<String> permissions) implements AuthResult {
        @Override
        public String failureText() {
            return null;
        }
    }

    /** Any authorisation failure other than J7; the caller delays the reply by 200 ms (J10). */
    record Denied() implements AuthResult {
        @Override
        public String failureText() {
            return "not authorised";
        }
    }

    record NeedUsername() implements AuthResult {
        @Override
        public String failureText() {
            return "username required";
        }

        @Override
        public String errorId() {
            return "need-username";
        }
    }

    record DuplicateUsername() implements AuthResult {
        @Override
        public String failureText() {
            return "not authorised: this username is taken";
        }

        @Override
        public String errorId() {
            return "duplicate-username";
        }
    }

    /** @param reason for the log only; the client sees "internal server error" */
    record Failed(String reason) implements AuthResult {
        @Override
        public String failureText() {
            return "internal server error";
        }
    }
}

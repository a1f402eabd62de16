package dev.opsbot.core.git;

import java.util.Objects;

/** A user name and password (or token) for a git remote or a registry; its text form never shows the password. */
public record RemoteCredentials(String username, String password) {
    public RemoteCredentials {
        Objects.requireNonNull(password, "password");
        username = username == null || username.isBlank() ? "x-access-token" : username;
    }

    @Override
    public String toString() {
        return "RemoteCredentials[" + username + ", password hidden]";
    }
}

package dev.opsbot.core.engine;

import dev.opsbot.core.chat.Message;
import dev.opsbot.core.git.ReleaseSettings;
import dev.opsbot.core.runbook.Operations;
import dev.opsbot.core.secrets.SecretSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** What release and secret steps may do in a run: post under its live message, audit as its requester, ask for a secret. */
final class RunOperations implements Operations {

    @FunctionalInterface
    interface SecretQuestion {
        Optional<String> ask(String variable, Duration wait) throws InterruptedException;
    }

    private final RunServices services;
    private final RunRequest request;
    private final long runId;
    private final Consumer<Message> reply;
    private final SecretQuestion secrets;

    RunOperations(RunServices services, RunRequest request, long runId, Consumer<Message> reply, SecretQuestion secrets) {
        this.services = services;
        this.request = request;
        this.runId = runId;
        this.reply = reply;
        this.secrets = secrets;
    }

    @Override
    public ReleaseSettings release() {
        return services.release();
    }

    @Override
    public SecretSettings secrets() {
        return services.secrets();
    }

    @Override
    public String requester() {
        return request.origin().user().name();
    }

    @Override
    public long runId() {
        return runId;
    }

    @Override
    public void post(Message message) {
        reply.accept(message);
    }

    @Override
    public void audit(String action, String detail, String outcome) {
        services.audit().append(request.origin().user().key(), request.origin().channel().toString(), action, detail, outcome);
    }

    @Override
    public Optional<String> askSecret(String variable, Duration wait) throws InterruptedException {
        return secrets.ask(variable, wait);
    }
}

package dev.opsbot.core.button;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsbot.core.button.Payload.Acknowledge;
import dev.opsbot.core.button.Payload.Answer;
import dev.opsbot.core.button.Payload.Approval;
import dev.opsbot.core.button.Payload.Confirm;
import dev.opsbot.core.button.Payload.DenyReason;
import dev.opsbot.core.button.Payload.Invoke;
import dev.opsbot.core.button.Payload.Recover;
import dev.opsbot.core.button.Payload.SecretForm;
import dev.opsbot.core.store.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one place a {@link Payload} becomes the {@code kind} and {@code payload} columns of a
 * button's row and back. The stored forms are those earlier releases wrote, so buttons offered
 * before an upgrade still work after it.
 */
final class PayloadCodec {
    static final String CONFIRM = "CONFIRM";
    static final String APPROVAL = "APPROVAL";
    /** The stored words of a recovery's action, as 0.1.0 wrote the first two. */
    private static final Map<Decision, String> RECOVERY_ACTIONS = Map.of(
            Decision.RESUME, "resume", Decision.ROLL_BACK, "rollback", Decision.ACKNOWLEDGE, "acknowledge");
    private final ObjectMapper json = new ObjectMapper();

    /** A payload as stored: its kind's name and its text. */
    record Stored(String kind, String text) { }

    Stored encode(Payload payload) {
        if (payload instanceof Confirm c) {
            return new Stored(CONFIRM, ticket(c.ticket(), c.decision() == Decision.CONFIRM ? "confirm" : "cancel"));
        }
        if (payload instanceof Approval a) {
            return new Stored(APPROVAL, ticket(a.ticket(), a.decision() == Decision.APPROVE ? "approve" : "deny"));
        }
        if (payload instanceof Answer a) return new Stored("CHOICE", a.runId() + ":" + a.option());
        if (payload instanceof Invoke i) return new Stored("INVOKE", i.command());
        if (payload instanceof Acknowledge a) return new Stored("ACK", String.valueOf(a.alertId()));
        if (payload instanceof DenyReason d) return new Stored("DENY_REASON", d.denyToken());
        if (payload instanceof Recover r) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("runId", r.runId());
            fields.put("action", RECOVERY_ACTIONS.get(r.decision()));
            fields.put("tag", r.tag());
            return new Stored("RECOVER", write(fields));
        }
        if (payload instanceof SecretForm s) return new Stored("SECRET_FORM", s.runId() + ":" + s.variable());
        throw new IllegalArgumentException("no stored form for " + payload.getClass().getSimpleName());
    }

    Payload decode(String kind, String text) {
        try {
            return switch (kind) {
                case "CONFIRM" -> {
                    Map<String, Object> f = read(text);
                    yield new Confirm(ticket(f), "confirm".equals(f.get("decision")) ? Decision.CONFIRM : Decision.CANCEL);
                }
                case "APPROVAL" -> {
                    Map<String, Object> f = read(text);
                    yield new Approval(ticket(f), "approve".equals(f.get("decision")) ? Decision.APPROVE : Decision.DENY);
                }
                case "CHOICE" -> {
                    int colon = text.indexOf(':');
                    yield new Answer(Long.parseLong(text.substring(0, colon)), Integer.parseInt(text.substring(colon + 1)));
                }
                case "INVOKE" -> new Invoke(text);
                case "ACK" -> new Acknowledge(Long.parseLong(text));
                case "DENY_REASON" -> new DenyReason(text);
                case "RECOVER" -> {
                    Map<String, Object> f = read(text);
                    Decision decision = RECOVERY_ACTIONS.entrySet().stream().filter(e -> e.getValue().equals(f.get("action")))
                            .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new IllegalArgumentException("unknown action"));
                    yield new Recover(((Number) f.get("runId")).longValue(), decision,
                            (String) f.get("tag"));
                }
                case "SECRET_FORM" -> {
                    int colon = text.indexOf(':');
                    yield new SecretForm(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
                }
                default -> throw new IllegalArgumentException("its kind is unknown");
            };
        } catch (RuntimeException e) {
            // Our own reasons are words; a field missing or of the wrong type (a row damaged or edited by hand) is said as such.
            String why = e instanceof IllegalArgumentException && !(e instanceof NumberFormatException) ? e.getMessage()
                    : "its stored form is damaged";
            throw new StoreException("a stored button (" + kind + ") cannot be read: " + why, e);
        }
    }

    private String ticket(RunTicket t, String decision) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("runbook", t.runbook());
        fields.put("params", t.params());
        fields.put("invocation", t.invocation());
        fields.put("decision", decision);
        fields.put("requesterId", t.requesterId());
        fields.put("requesterName", t.requesterName());
        return write(fields);
    }

    private static RunTicket ticket(Map<String, Object> f) {
        Map<String, String> params = new LinkedHashMap<>();
        if (!(f.get("params") instanceof Map<?, ?> stored)) throw new IllegalArgumentException("its parameters are missing");
        // Checked one by one: a cast of the whole map would let a number through as a parameter's text.
        stored.forEach((k, v) -> params.put((String) k, (String) v));
        return new RunTicket((String) f.get("runbook"), params, (String) f.get("invocation"),
                (String) f.get("requesterId"), (String) f.get("requesterName"));
    }

    private String write(Map<String, Object> fields) {
        try {
            return json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("it is not JSON", e);
        }
    }
}

-- Several bot processes (replicas) on one database. Numbered 6 to leave 4 to the alerts' next migration.
--
-- A lease: who does what must happen once (health monitoring, button expiry, reporting interrupted runs) until when,
-- by the database's clock. The fencing number grows whenever the holder changes.
CREATE TABLE leases (
    name        VARCHAR(100) NOT NULL PRIMARY KEY,
    holder      VARCHAR(200) NOT NULL,
    fencing     BIGINT       NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    since       TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Which replica runs a run, when it last said so (the database's clock), and a cancel asked on another replica.
ALTER TABLE runs ADD COLUMN owner VARCHAR(200);
ALTER TABLE runs ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE runs ADD COLUMN cancel_requested_by VARCHAR(200);

-- Which button of a group was pressed (a run's question waits for it on another replica); a secret form's public key
-- and the value sealed to it by the replica that received the form (never the value in clear).
ALTER TABLE pending_actions ADD COLUMN chosen_token VARCHAR(64);
ALTER TABLE pending_actions ADD COLUMN public_key VARCHAR(200);
ALTER TABLE pending_actions ADD COLUMN sealed_value VARCHAR(24000);

-- An alert acknowledged on a replica that does not watch the stack, until the one that does applies it.
CREATE TABLE alert_acks (
    alert_id  BIGINT       NOT NULL PRIMARY KEY,
    acked_by  VARCHAR(200) NOT NULL,
    at        TIMESTAMP WITH TIME ZONE NOT NULL
);

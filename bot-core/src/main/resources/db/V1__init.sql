CREATE TABLE runs (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    runbook       VARCHAR(100)  NOT NULL,
    invocation    VARCHAR(1000) NOT NULL,
    params        VARCHAR(4000) NOT NULL,
    requested_by  VARCHAR(200)  NOT NULL,
    channel       VARCHAR(200)  NOT NULL,
    live_message  VARCHAR(200),
    status        VARCHAR(20)   NOT NULL,
    current_step  INT           NOT NULL DEFAULT 0,
    step_count    INT           NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at      TIMESTAMP WITH TIME ZONE,
    summary       VARCHAR(4000)
);
CREATE INDEX runs_status ON runs(status);

CREATE TABLE run_steps (
    run_id      BIGINT       NOT NULL,
    idx         INT          NOT NULL,
    name        VARCHAR(300) NOT NULL,
    status      VARCHAR(20)  NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at    TIMESTAMP WITH TIME ZONE,
    detail      VARCHAR(4000),
    PRIMARY KEY (run_id, idx)
);

CREATE TABLE deploys (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    run_id           BIGINT       NOT NULL,
    stack            VARCHAR(100) NOT NULL,
    service          VARCHAR(100) NOT NULL,
    tag_before       VARCHAR(200) NOT NULL,
    tag_after        VARCHAR(200) NOT NULL,
    requested_by     VARCHAR(200) NOT NULL,
    approved_by      VARCHAR(400),
    outcome          VARCHAR(20)  NOT NULL,
    health_verified  BOOLEAN      NOT NULL,
    at               TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX deploys_stack ON deploys(stack, id);

CREATE TABLE audit (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    at         TIMESTAMP WITH TIME ZONE NOT NULL,
    actor      VARCHAR(200)  NOT NULL,
    place      VARCHAR(200)  NOT NULL,
    action     VARCHAR(50)   NOT NULL,
    detail     VARCHAR(4000) NOT NULL,
    outcome    VARCHAR(1000) NOT NULL,
    prev_hash  VARCHAR(64)   NOT NULL,
    hash       VARCHAR(64)   NOT NULL
);

CREATE TABLE pending_actions (
    token        VARCHAR(64)   PRIMARY KEY,
    group_id     VARCHAR(64)   NOT NULL,
    kind         VARCHAR(30)   NOT NULL,
    payload      VARCHAR(8000) NOT NULL,
    requested_by VARCHAR(200)  NOT NULL,
    channel      VARCHAR(200)  NOT NULL,
    message_id   VARCHAR(200),
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_by   VARCHAR(200),
    decided_at   TIMESTAMP WITH TIME ZONE,
    decision     VARCHAR(30)
);
CREATE INDEX pending_group ON pending_actions(group_id);

CREATE TABLE alerts (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    stack             VARCHAR(100)  NOT NULL,
    service           VARCHAR(100)  NOT NULL,
    check_name        VARCHAR(200)  NOT NULL,
    severity          VARCHAR(20)   NOT NULL,
    state             VARCHAR(20)   NOT NULL,
    failing           BOOLEAN       NOT NULL,
    since             TIMESTAMP WITH TIME ZONE NOT NULL,
    event_time_nanos  BIGINT,
    detected_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    posted_at         TIMESTAMP WITH TIME ZONE,
    last_output       VARCHAR(4000) NOT NULL,
    occurrences       INT           NOT NULL,
    deploy_note       VARCHAR(1000),
    rollback_tag      VARCHAR(200),
    acked_by          VARCHAR(200),
    acked_at          TIMESTAMP WITH TIME ZONE,
    notified_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX alerts_key ON alerts(stack, service, check_name, id);
CREATE INDEX alerts_state ON alerts(state);

CREATE TABLE alert_posts (
    alert_id    BIGINT        NOT NULL,
    channel     VARCHAR(200)  NOT NULL,
    message_id  VARCHAR(200)  NOT NULL,
    buttons     VARCHAR(4000) NOT NULL,
    PRIMARY KEY (alert_id, channel)
);

CREATE TABLE alert_mutes (
    stack     VARCHAR(100) NOT NULL,
    service   VARCHAR(100) NOT NULL,
    until     TIMESTAMP WITH TIME ZONE NOT NULL,
    muted_by  VARCHAR(200) NOT NULL,
    PRIMARY KEY (stack, service)
);

CREATE TABLE approvals (
    group_id     VARCHAR(64)  NOT NULL,
    approver     VARCHAR(200) NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (group_id, approver)
);

CREATE TABLE locks (
    stack        VARCHAR(100) PRIMARY KEY,
    run_id       BIGINT       NOT NULL,
    holder       VARCHAR(200) NOT NULL,
    what         VARCHAR(1000) NOT NULL,
    since        TIMESTAMP WITH TIME ZONE NOT NULL
);

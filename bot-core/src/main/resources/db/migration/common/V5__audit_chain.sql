-- The head of the audit hash chain: one row that every append locks first (SELECT ... FOR UPDATE),
-- so appends from several replicas queue and form one chain, and that names the last row, so rows
-- removed from the end of the trail are found too. It starts where the trail already ends.
CREATE TABLE audit_chain (
    id         INT          NOT NULL PRIMARY KEY,
    last_id    BIGINT       NOT NULL,
    last_hash  VARCHAR(64)  NOT NULL,
    CHECK (id = 1)
);
INSERT INTO audit_chain (id, last_id, last_hash)
SELECT 1, COALESCE(MAX(id), 0),
       COALESCE((SELECT hash FROM audit WHERE id = (SELECT MAX(id) FROM audit)), '0000000000000000000000000000000000000000000000000000000000000000')
FROM audit;

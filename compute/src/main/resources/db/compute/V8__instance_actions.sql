-- What was done to each server, as Nova's instance actions record it: one row per request that
-- acted on it (create, reboot, resize, delete, ...). Rows outlive the server: from 2.21 a deleted
-- server's actions are still listed, authorised by the project recorded here.
CREATE TABLE compute_instance_action (
    server_id    VARCHAR(36)   NOT NULL,
    request_id   VARCHAR(64)   NOT NULL,
    action       VARCHAR(64)   NOT NULL,
    project_id   VARCHAR(64)   NOT NULL,
    user_id      VARCHAR(64)   NOT NULL,
    start_time   TIMESTAMP     NOT NULL,
    PRIMARY KEY (server_id, request_id, action)
);

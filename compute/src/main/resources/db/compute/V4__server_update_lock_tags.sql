-- What a user changes on a server after boot: its access addresses (accessIPv4/accessIPv6, kept
-- for the user's tooling, as in Nova), its lock (who locked it, 'owner' or 'admin', and why;
-- NULL: not locked), and its tags (2.26).
ALTER TABLE compute_server ADD COLUMN access_ip_v4 VARCHAR(64);
ALTER TABLE compute_server ADD COLUMN access_ip_v6 VARCHAR(64);
ALTER TABLE compute_server ADD COLUMN locked_by VARCHAR(16);
ALTER TABLE compute_server ADD COLUMN locked_reason VARCHAR(255);

CREATE TABLE compute_server_tag (
    server_id  VARCHAR(36)  NOT NULL REFERENCES compute_server (id) ON DELETE CASCADE,
    tag        VARCHAR(60)  NOT NULL,
    PRIMARY KEY (server_id, tag)
);

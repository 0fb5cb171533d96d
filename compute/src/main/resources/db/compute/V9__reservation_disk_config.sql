-- The reservation a server was made in (one per create request, shared by a multi-create, Nova's
-- reservation_id), and its OS-DCF:diskConfig (AUTO or MANUAL), kept and shown as Nova keeps them.
ALTER TABLE compute_server ADD COLUMN reservation_id VARCHAR(16);
ALTER TABLE compute_server ADD COLUMN disk_config VARCHAR(8) DEFAULT 'MANUAL' NOT NULL;

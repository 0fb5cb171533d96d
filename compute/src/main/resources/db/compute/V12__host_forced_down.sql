-- An operator's (or a fencing tool's) word that a host's compute service is down (os-services
-- forced_down, 2.11; set with PUT /os-services/{id} from 2.53): its state shows down and the
-- scheduler places nothing there until it is lifted.
ALTER TABLE compute_host ADD COLUMN forced_down BOOLEAN DEFAULT FALSE NOT NULL;

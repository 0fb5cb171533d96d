-- Image v2: images and their properties. The file itself lives in the data directory, named by
-- the image id; the row says whether it is complete (status 'active') and what it hashes to.

CREATE TABLE image_image (
    id               VARCHAR(36)   PRIMARY KEY,
    owner            VARCHAR(64)   NOT NULL,
    name             VARCHAR(255),
    status           VARCHAR(16)   NOT NULL,
    visibility       VARCHAR(16)   NOT NULL,
    protected        BOOLEAN       NOT NULL,
    os_hidden        BOOLEAN       NOT NULL,
    disk_format      VARCHAR(16),
    container_format VARCHAR(16),
    min_disk         INTEGER       NOT NULL,
    min_ram          INTEGER       NOT NULL,
    size             BIGINT,
    checksum         VARCHAR(32),
    os_hash_algo     VARCHAR(64),
    os_hash_value    VARCHAR(128),
    created_at       TIMESTAMP     NOT NULL,
    updated_at       TIMESTAMP     NOT NULL
);
CREATE INDEX image_image_owner ON image_image (owner);

CREATE TABLE image_property (
    image_id VARCHAR(36)   NOT NULL REFERENCES image_image (id) ON DELETE CASCADE,
    name     VARCHAR(255)  NOT NULL,
    prop_value VARCHAR(65535) NOT NULL,
    PRIMARY KEY (image_id, name)
);

CREATE TABLE image_tag (
    image_id VARCHAR(36)   NOT NULL REFERENCES image_image (id) ON DELETE CASCADE,
    tag      VARCHAR(255)  NOT NULL,
    PRIMARY KEY (image_id, tag)
);

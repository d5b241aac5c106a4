-- What links articles to each other: syndication groups (MinHash bands),
-- incidents with their mentions (GDELT's model), and figures: the same
-- quantity claimed by several sources.
CREATE TABLE signatures (
    article_id INTEGER PRIMARY KEY,
    syndication_group INTEGER NOT NULL,    -- the first article of its group
    minhash UBIGINT[]
);

CREATE TABLE bands (band SMALLINT NOT NULL, hash BIGINT NOT NULL, article_id INTEGER NOT NULL);

CREATE TABLE incidents (
    incident_id INTEGER PRIMARY KEY,
    event_type VARCHAR, sub_event_type VARCHAR,
    date_start DATE, date_end DATE, time_precision INTEGER,
    location VARCHAR, admin1 VARCHAR, country VARCHAR,
    latitude DOUBLE, longitude DOUBLE, geo_precision INTEGER
);

CREATE TABLE mentions (
    article_id INTEGER NOT NULL, event_id VARCHAR NOT NULL, incident_id INTEGER NOT NULL
);

CREATE TABLE figures (
    figure_id INTEGER PRIMARY KEY,
    category VARCHAR, side VARCHAR, unit VARCHAR,
    date_start DATE, date_end DATE, place VARCHAR, latitude DOUBLE, longitude DOUBLE,
    incident_id INTEGER
);

CREATE TABLE figure_claims (
    article_id INTEGER NOT NULL, claim_id VARCHAR NOT NULL, figure_id INTEGER NOT NULL
);

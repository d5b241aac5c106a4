-- Articles as ingested (raw text and metadata kept for `warledger reprocess`)
-- and the records extracted from each, flattened for querying.
CREATE TABLE articles (
    article_id   INTEGER PRIMARY KEY,
    identity     VARCHAR NOT NULL UNIQUE,   -- URL, feed entry id, JSONL id or file path
    doc_id       VARCHAR,
    title        VARCHAR,
    url          VARCHAR,
    outlet       VARCHAR,                   -- host name of the URL
    published    DATE,
    origin       VARCHAR,
    text         VARCHAR NOT NULL,
    text_sha256  VARCHAR NOT NULL,
    n_chars      INTEGER NOT NULL,
    duplicate_of INTEGER,                   -- the article with the same text, ingested first
    ingested_at  TIMESTAMP NOT NULL,
    extractor    VARCHAR,
    report       JSON
);
CREATE INDEX articles_sha ON articles (text_sha256);

CREATE TABLE sources (
    article_id INTEGER NOT NULL, source_id VARCHAR NOT NULL,
    name VARCHAR, kind VARCHAR, side VARCHAR, affiliation VARCHAR, country VARCHAR, mentions INTEGER
);

CREATE TABLE places (
    article_id INTEGER NOT NULL, place_id VARCHAR NOT NULL,
    name VARCHAR, geonameid BIGINT, latitude DOUBLE, longitude DOUBLE,
    country_code VARCHAR, admin1 VARCHAR, feature VARCHAR, mentions INTEGER
);

CREATE TABLE quotes (
    article_id INTEGER NOT NULL, quote_id VARCHAR NOT NULL,
    speaker VARCHAR, speaker_side VARCHAR, text VARCHAR, cue VARCHAR, direct BOOLEAN
);

CREATE TABLE claims (
    article_id INTEGER NOT NULL, claim_id VARCHAR NOT NULL,
    category VARCHAR, subject VARCHAR, side VARCHAR,
    low DOUBLE, best DOUBLE, high DOUBLE, qualifier VARCHAR, unit VARCHAR,
    date_start DATE, date_end DATE, date_precision VARCHAR,
    place VARCHAR, latitude DOUBLE, longitude DOUBLE,
    source VARCHAR, source_kind VARCHAR, source_side VARCHAR,
    hedge VARCHAR, hedge_low DOUBLE, hedge_high DOUBLE, sentence VARCHAR
);

CREATE TABLE assessments (
    article_id INTEGER NOT NULL, assessment_id VARCHAR NOT NULL,
    phrase VARCHAR, standard VARCHAR, low DOUBLE, high DOUBLE, statement VARCHAR,
    source VARCHAR, source_side VARCHAR
);

CREATE TABLE events (
    article_id INTEGER NOT NULL, event_id VARCHAR NOT NULL,
    event_date DATE, date_start DATE, date_end DATE, time_precision INTEGER,
    event_type VARCHAR, sub_event_type VARCHAR,
    actor1 VARCHAR, actor2 VARCHAR, side1 VARCHAR, side2 VARCHAR,
    location VARCHAR, admin1 VARCHAR, country VARCHAR, country_code VARCHAR,
    latitude DOUBLE, longitude DOUBLE, geo_precision INTEGER,
    fatalities INTEGER, fatalities_low INTEGER, fatalities_high INTEGER,
    source VARCHAR, source_kind VARCHAR, source_side VARCHAR,
    claim_ids VARCHAR[], notes VARCHAR
);

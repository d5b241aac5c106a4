-- Denials: acts a source says did not happen ("Ukrainian units had not fired at the city"), in the
-- shape of events (actor1 is who it says did not act). They are not events; queries weigh them
-- against the reports of the incident they answer (a contradiction of kind "occurrence").
CREATE TABLE denials (
    article_id INTEGER NOT NULL, denial_id VARCHAR NOT NULL,
    event_date DATE, date_start DATE, date_end DATE, time_precision INTEGER,
    event_type VARCHAR, sub_event_type VARCHAR,
    actor1 VARCHAR, actor2 VARCHAR, side1 VARCHAR, side2 VARCHAR,
    location VARCHAR, admin1 VARCHAR, country VARCHAR,
    latitude DOUBLE, longitude DOUBLE, geo_precision INTEGER,
    source VARCHAR, source_kind VARCHAR, source_side VARCHAR, notes VARCHAR
);

-- Figures count one class of victims (people, children, soldiers...: linking.toll_subject): a count of
-- children is not compared with a count of people.
ALTER TABLE figures ADD COLUMN subject_class VARCHAR;

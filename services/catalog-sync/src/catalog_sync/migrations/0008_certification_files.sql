-- PDF certificates uploaded to TikTok Shop (Upload Product File): a certification sends each
-- file with the name it was uploaded as (TikTok requires id, name and format).
CREATE TABLE certification_files (
    connection_id text NOT NULL,
    file_id text NOT NULL,
    name text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, file_id)
);

-- Which custom_* warehouse column each custom attribute lives in (see AttributeColumns): distinct attribute names
-- never share a column, and the assignment stays the same across runs and instances. Names are keyed by their
-- SHA-256 (hex) because MariaDB/MySQL compare text case-insensitively, and Intercom's "Plan" is not "plan".
CREATE TABLE IF NOT EXISTS attribute_columns (
    table_name VARCHAR(64) NOT NULL, attribute_key CHAR(64) NOT NULL, attribute_name TEXT NOT NULL,
    column_name VARCHAR(64) NOT NULL,
    PRIMARY KEY (table_name, attribute_key),
    CONSTRAINT attribute_columns_column UNIQUE (table_name, column_name));

CREATE INDEX ${table}_name ON ${table} (name);

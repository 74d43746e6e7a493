-- The first version: one table.
CREATE TABLE ${table} (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(64) NOT NULL
);

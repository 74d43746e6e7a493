package dev.cohort.store.jdbc;

/** The databases the JDBC log supports. */
public enum Database {
  SQLITE,
  POSTGRES,
  MARIADB
}

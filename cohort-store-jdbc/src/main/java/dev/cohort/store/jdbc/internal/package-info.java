/**
 * Implementation of the JDBC log. Not an API: anything here may change in any release; use {@link
 * dev.cohort.store.jdbc.JdbcTransactionStore} instead.
 */
package dev.cohort.store.jdbc.internal;

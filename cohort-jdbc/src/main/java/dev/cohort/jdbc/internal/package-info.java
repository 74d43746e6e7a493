/**
 * Implementation of Cohort's JDBC support. Not an API: anything here may change in any release; use
 * {@link dev.cohort.jdbc.SchemaMigrator} instead.
 */
package dev.cohort.jdbc.internal;

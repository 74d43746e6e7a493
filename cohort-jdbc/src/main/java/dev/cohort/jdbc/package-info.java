/**
 * What every Cohort component that keeps tables in a relational database shares: the supported
 * {@link dev.cohort.jdbc.Database databases} and the versioned {@link dev.cohort.jdbc.Schema
 * schemas} that {@link dev.cohort.jdbc.SchemaMigrator} applies, verifies or exports as plain SQL.
 */
package dev.cohort.jdbc;

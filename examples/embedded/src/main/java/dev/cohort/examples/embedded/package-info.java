/**
 * The embedded demo: a coordinator in this JVM with its log in SQLite, and a shop whose account,
 * stock and shipping services keep their data (and their barrier table) in a second SQLite file.
 */
package dev.cohort.examples.embedded;

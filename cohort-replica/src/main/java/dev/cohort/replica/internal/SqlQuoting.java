package dev.cohort.replica.internal;

/**
 * How a database quotes and comments, as far as telling code from text needs. The rules follow the
 * servers' defaults: PostgreSQL with {@code standard_conforming_strings = on}, MariaDB without
 * {@code ANSI_QUOTES} or {@code NO_BACKSLASH_ESCAPES}.
 */
enum SqlQuoting {
  POSTGRESQL(
      /* hashComments= */ false,
      /* nestedBlockComments= */ true,
      /* executableComments= */ false,
      /* dashDashNeedsSpace= */ false,
      /* backslashEscapes= */ false,
      /* escapeStringPrefix= */ true,
      /* dollarQuotes= */ true,
      /* doubleQuotesAreIdentifiers= */ true,
      /* backtickIdentifiers= */ false),
  MARIADB(
      /* hashComments= */ true,
      /* nestedBlockComments= */ false,
      // MariaDB runs the text of /*! ... */ and /*M! ... */: it is code, not a comment.
      /* executableComments= */ true,
      // MariaDB reads "1--1" as 1 minus -1: "--" opens a comment only before a space or control.
      /* dashDashNeedsSpace= */ true,
      /* backslashEscapes= */ true,
      /* escapeStringPrefix= */ false,
      /* dollarQuotes= */ false,
      // Without ANSI_QUOTES, "..." is a string, with the same escapes as '...'.
      /* doubleQuotesAreIdentifiers= */ false,
      /* backtickIdentifiers= */ true);

  final boolean hashComments;
  final boolean nestedBlockComments;
  final boolean executableComments;
  final boolean dashDashNeedsSpace;
  final boolean backslashEscapes;
  final boolean escapeStringPrefix;
  final boolean dollarQuotes;
  final boolean doubleQuotesAreIdentifiers;
  final boolean backtickIdentifiers;

  SqlQuoting(
      boolean hashComments,
      boolean nestedBlockComments,
      boolean executableComments,
      boolean dashDashNeedsSpace,
      boolean backslashEscapes,
      boolean escapeStringPrefix,
      boolean dollarQuotes,
      boolean doubleQuotesAreIdentifiers,
      boolean backtickIdentifiers) {
    this.hashComments = hashComments;
    this.nestedBlockComments = nestedBlockComments;
    this.executableComments = executableComments;
    this.dashDashNeedsSpace = dashDashNeedsSpace;
    this.backslashEscapes = backslashEscapes;
    this.escapeStringPrefix = escapeStringPrefix;
    this.dollarQuotes = dollarQuotes;
    this.doubleQuotesAreIdentifiers = doubleQuotesAreIdentifiers;
    this.backtickIdentifiers = backtickIdentifiers;
  }
}

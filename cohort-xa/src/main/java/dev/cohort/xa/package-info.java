/**
 * An in-process Jakarta Transactions manager ({@link dev.cohort.xa.XaTransactionManager}) that
 * commits XA resources with two-phase commit, logs the commit decision in Cohort's transaction log
 * before phase two, and finishes in-doubt branches on start; and {@link dev.cohort.xa.XaPool}, a
 * pooled {@code DataSource} over any {@code XADataSource} that enlists its connections in the
 * current transaction. See docs/xa.md.
 */
package dev.cohort.xa;

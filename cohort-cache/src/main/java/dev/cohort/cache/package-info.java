/**
 * Cache-aside on Redis that stays consistent with a replicated database. Start at {@link
 * dev.cohort.cache.VersionedCache}; docs/cache.md is the guide.
 */
package dev.cohort.cache;

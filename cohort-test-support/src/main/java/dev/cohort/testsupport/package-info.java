/**
 * Support for Cohort's own integration tests: where the services started by {@code scripts/services
 * up} listen, DataSources for each database's primary and replica, and isolated schemas.
 *
 * <p>A missing service makes a test fail on CI ({@code CI=true}) and be skipped, with the reason,
 * on a developer machine that has not run {@code scripts/services up}. A service that is configured
 * but does not answer always fails the test, naming the service.
 */
package dev.cohort.testsupport;

/**
 * Implementation of the SDK's HTTP transport ({@code RemoteCohort}) and lazy begin. Not an API:
 * anything here may change in any release. Use {@link dev.cohort.client.Cohort}.
 */
package dev.cohort.client.internal;

/**
 * The operator's web console (docs/console.md): server-rendered pages under {@code /console}, a
 * cookie session opened with the server's token, CSRF-checked actions with an audit record. Not an
 * API: its classes change with the pages.
 */
package dev.cohort.server.console.internal;

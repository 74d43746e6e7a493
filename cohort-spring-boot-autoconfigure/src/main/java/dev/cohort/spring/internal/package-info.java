/**
 * The starter's implementation: auto-configuration classes, filters, interceptors and adapters. Not
 * an API; use the types of {@code dev.cohort.spring} and the {@code cohort.*} properties.
 */
package dev.cohort.spring.internal;

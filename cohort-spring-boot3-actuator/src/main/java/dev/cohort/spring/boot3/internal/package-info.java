/** The Boot 3.5 Actuator binding of the starter's health checks; not an API. */
package dev.cohort.spring.boot3.internal;

/**
 * The reference shop: five Spring Boot services (order, account, inventory, points, warehouse),
 * each on its own database, one purchase run as TCC, as an orchestrated saga or without Cohort.
 * {@link dev.cohort.examples.shop.ShopMain} starts one service per process or all five in one JVM;
 * docs/shop.md describes the services, the fault switch and the admin API.
 */
package dev.cohort.examples.shop;

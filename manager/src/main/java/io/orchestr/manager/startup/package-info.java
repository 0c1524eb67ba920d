/**
 * The manager's start in any order with its services: the schema migration once the database answers, then the
 * manager queue's consumers once the broker answers, with readiness down meanwhile.
 */
package io.orchestr.manager.startup;

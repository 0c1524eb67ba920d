/** Broker names and declarations, one place for the manager and the nodes so their arguments always agree. */
package io.orchestr.shared.topology;

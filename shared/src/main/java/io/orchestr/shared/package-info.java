/**
 * Vocabulary shared by the manager, the nodes and the client: job and node statuses, restart modes, name rules.
 */
package io.orchestr.shared;

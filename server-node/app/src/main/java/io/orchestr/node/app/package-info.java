/** The runnable node's own HTTP surface beside health: the loopback drain ({@link io.orchestr.node.app.LocalDrain}). */
package io.orchestr.node.app;

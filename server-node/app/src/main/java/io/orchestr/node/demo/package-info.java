/** Built-in demo handlers of the runnable node; see {@link io.orchestr.node.demo.DemoHandlers}. */
package io.orchestr.node.demo;

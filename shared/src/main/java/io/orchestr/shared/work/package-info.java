/**
 * The work of an {@code exec} job: the tree of commands and groups its {@code params} describe, and the parser that
 * turns those params into it (or refuses them, naming the field). The manager parses at creation and edit, the
 * node again before it runs; both use {@link io.orchestr.shared.work.WorkParser}.
 */
package io.orchestr.shared.work;

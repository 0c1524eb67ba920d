/** The JSON bodies of the manager's REST API, shared by the manager and the Java client. */
package io.orchestr.shared.api;

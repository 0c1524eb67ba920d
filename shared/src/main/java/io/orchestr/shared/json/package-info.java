/** The one JSON codec used on the broker and over HTTP. */
package io.orchestr.shared.json;

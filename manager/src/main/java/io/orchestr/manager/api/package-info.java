/**
 * The REST API ({@code /api}): resources per concept ({@code JobResource}, {@code ServerResource},
 * {@code EventResource}, {@code SessionResource}), the reading of parameters and bodies ({@code Params},
 * {@code NewJobReader}), the errors as {@code ApiError} ({@code ApiExceptionMappers}), the request rate, and the
 * OpenAPI document: this package's definition names the document and the error body's schema, each resource method
 * annotates its own answers and {@code ApiDocument} adds what all of them share.
 */
@OpenAPIDefinition(info = @Info(title = "Orchestr manager", version = "1",
        description = "Jobs, servers and the live feed of an Orchestr fleet. Every /api call but the sign-in needs a"
                + " bearer token (Authorization: Bearer <token>) or the dashboard's session cookie; every error"
                + " answers an ApiError."),
        components = @Components(schemas = @Schema(name = ApiDocument.ERROR, implementation = ApiError.class)))
package io.orchestr.manager.api;

import io.orchestr.shared.api.ApiError;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

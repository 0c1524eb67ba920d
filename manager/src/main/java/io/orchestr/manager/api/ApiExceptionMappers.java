package io.orchestr.manager.api;

import io.orchestr.manager.ConflictException;
import io.orchestr.manager.Failures;
import io.orchestr.manager.InvalidRequestException;
import io.orchestr.manager.NameTakenException;
import io.orchestr.manager.NoOutputException;
import io.orchestr.manager.OutputUnavailableException;
import io.orchestr.manager.UnknownIdException;
import io.orchestr.shared.Causes;
import io.orchestr.shared.api.ApiError;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/**
 * Maps every failure of the REST API to an {@link ApiError} with the right status; never a stack trace. Always as
 * JSON, also from a resource that produces something else (a run's output as text).
 */
class ApiExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    private static RestResponse<ApiError> error(Response.StatusType status, ApiError error) {
        return RestResponse.ResponseBuilder.create(status, error).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    @ServerExceptionMapper
    RestResponse<ApiError> invalid(InvalidRequestException e) {
        return error(Response.Status.BAD_REQUEST,
                new ApiError(e.getMessage(), e.field(), e.index(), null));
    }

    @ServerExceptionMapper
    RestResponse<ApiError> unknown(UnknownIdException e) {
        return error(Response.Status.NOT_FOUND, ApiError.of(e.getMessage()));
    }

    @ServerExceptionMapper
    RestResponse<ApiError> nameTaken(NameTakenException e) {
        return error(Response.Status.CONFLICT, new ApiError(e.getMessage(), "name", e.index(),
                e.names()));
    }

    @ServerExceptionMapper
    RestResponse<ApiError> conflict(ConflictException e) {
        return error(Response.Status.CONFLICT, ApiError.of(e.getMessage()));
    }

    @ServerExceptionMapper
    RestResponse<ApiError> noOutput(NoOutputException e) {
        return error(Response.Status.NOT_FOUND, ApiError.of(e.getMessage()));
    }

    @ServerExceptionMapper
    RestResponse<ApiError> outputUnavailable(OutputUnavailableException e) {
        return error(Response.Status.fromStatusCode(e.status()), ApiError.of(e.getMessage()));
    }

    /** No bearer token where the call needs one (access control, DESIGN "Operator surface"). */
    @ServerExceptionMapper
    RestResponse<ApiError> noToken(UnauthorizedException e) {
        return unauthorized("a bearer token is required: Authorization: Bearer <token>");
    }

    /** A bearer token that is neither in the tokens file nor a valid JWT of the configured issuer. */
    @ServerExceptionMapper
    RestResponse<ApiError> badToken(AuthenticationFailedException e) {
        return unauthorized("the bearer token is not valid");
    }

    @ServerExceptionMapper
    RestResponse<ApiError> forbidden(ForbiddenException e) {
        // the framework's own refusals say nothing a caller can use; the API's own say which role is needed
        String why = e.getMessage() == null || e.getMessage().isBlank() ? "the token's role may not do this"
                : e.getMessage();
        return error(Response.Status.FORBIDDEN, ApiError.of(why));
    }

    private static RestResponse<ApiError> unauthorized(String message) {
        return RestResponse.ResponseBuilder.create(Response.Status.UNAUTHORIZED, ApiError.of(message))
                .type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** What the framework refuses itself: unknown paths, wrong methods or media types. */
    @ServerExceptionMapper
    RestResponse<ApiError> framework(WebApplicationException e) {
        return error(e.getResponse().getStatusInfo(), ApiError.of(e.getMessage()));
    }

    @ServerExceptionMapper
    RestResponse<ApiError> unexpected(Exception e) {
        if (Failures.isDatabaseDown(e)) {
            LOG.warnf("Answering 503: the database is unavailable (%s)", Causes.describe(e));
            return error(Response.Status.SERVICE_UNAVAILABLE,
                    ApiError.of("database unavailable, try again later: " + Causes.describe(e)));
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "Answering 500 for incident %s", incident);
        return error(Response.Status.INTERNAL_SERVER_ERROR,
                ApiError.of("internal error, incident " + incident + " in the manager's log"));
    }
}

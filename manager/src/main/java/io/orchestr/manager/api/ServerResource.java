package io.orchestr.manager.api;

import io.orchestr.manager.auth.Roles;
import io.orchestr.manager.server.NodeDrains;
import io.orchestr.manager.server.ServerQueries;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.Page;
import io.orchestr.shared.api.ServerView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.UUID;
import java.util.function.Consumer;

/** {@code /api/servers}: the node incarnations the managers know, with the jobs each runs. */
@Path("/api/servers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class ServerResource {
    private static final String NOT_DRAINABLE = "the node left, is lost or predates drains";

    private final ServerQueries queries;
    private final NodeDrains drains;

    ServerResource(ServerQueries queries, NodeDrains drains) {
        this.queries = queries;
        this.drains = drains;
    }

    @GET
    public Page<ServerView> servers(@Parameter(schema = @Schema(implementation = NodeStatus.class))
                                    @RestQuery String status, @RestQuery String page, @RestQuery String size) {
        int pageNumber = Params.page(page);
        int pageSize = Params.size(size);
        Params.checkOffset(pageNumber, pageSize);
        return queries.servers(Params.constant("status", status, NodeStatus.class), pageNumber, pageSize);
    }

    @GET
    @Path("{id}")
    public ServerView server(@RestPath String id) {
        return queries.server(Params.pathId("server", id));
    }

    /**
     * Drains a node: 202 with the server, {@code Draining}, then {@code Drained} once it holds nothing; it takes no
     * new jobs and hands back those it holds, never overlapping their next runs; a repeat is a no-op; 409 when it
     * left, is lost or predates drains.
     */
    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("{id}/drain")
    @APIResponseSchema(value = ServerView.class, responseCode = "202",
            responseDescription = "the server, Draining or Drained")
    @APIResponse(responseCode = "409", description = NOT_DRAINABLE)
    public RestResponse<ServerView> drain(@RestPath String id) {
        return asked(id, drains::drain);
    }

    /** Undrains a node: 202 with the server, {@code Active}, taking jobs again; a repeat is a no-op; 409 as drain. */
    @RolesAllowed(Roles.ADMIN)
    @POST
    @Path("{id}/undrain")
    @APIResponseSchema(value = ServerView.class, responseCode = "202", responseDescription = "the server, Active")
    @APIResponse(responseCode = "409", description = NOT_DRAINABLE)
    public RestResponse<ServerView> undrain(@RestPath String id) {
        return asked(id, drains::undrain);
    }

    /** Asks {@code ask} of the server named by {@code id}; 202 with the server as it is now. */
    private RestResponse<ServerView> asked(String id, Consumer<UUID> ask) {
        UUID serverId = Params.pathId("server", id);
        ask.accept(serverId);
        return RestResponse.accepted(queries.server(serverId));
    }
}

package io.orchestr.manager.api;

import io.orchestr.manager.server.ServerQueries;
import io.orchestr.shared.NodeStatus;
import io.orchestr.shared.api.Page;
import io.orchestr.shared.api.ServerView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** {@code /api/servers}: the node incarnations the managers know, with the jobs each runs. */
@Path("/api/servers")
@Produces(MediaType.APPLICATION_JSON)
public class ServerResource {
    private final ServerQueries queries;

    ServerResource(ServerQueries queries) {
        this.queries = queries;
    }

    @GET
    public Page<ServerView> servers(@RestQuery String status, @RestQuery String page, @RestQuery String size) {
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
}

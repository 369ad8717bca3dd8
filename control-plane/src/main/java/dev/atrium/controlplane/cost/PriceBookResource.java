package dev.atrium.controlplane.cost;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.atrium.controlplane.auth.AccessLevel;
import dev.atrium.controlplane.auth.Authorized;
import dev.atrium.controlplane.common.Page;
import dev.atrium.controlplane.identity.TenantScope;

/** The platform's price book (platform admins): versions in force from a date, per region or for every region. */
@Path("/api/v1/platform")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Usage")
public class PriceBookResource {

    @Inject
    PriceBookService prices;

    @GET
    @Path("prices")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Every version of the price book, oldest first")
    public Page<PriceBook> list() {
        return new Page<>(TenantScope.asPlatform(prices::list), null);
    }

    @GET
    @Path("prices/{priceBookId}")
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "One version of the price book")
    public PriceBook get(@jakarta.ws.rs.PathParam("priceBookId") String id) {
        return TenantScope.asPlatform(() -> prices.get(id));
    }

    @POST
    @Path("prices")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Add a version of the prices, in force from effectiveFrom (at least a minute ahead, unless backdated)")
    public Response create(@Valid @NotNull(message = "body is required") PriceRequests.CreatePriceBook request) {
        PriceBook book = TenantScope.asPlatform(() -> prices.create(request));
        return Response.created(URI.create("/api/v1/platform/prices/" + book.id())).entity(book).build();
    }

    @POST
    @Path("prices:reprice")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authorized(AccessLevel.PLATFORM_ADMIN)
    @Operation(summary = "Recompute what a past period's usage cost with the versions stored now; the old figures are kept")
    public PriceBookService.Repricing reprice(@Valid @NotNull(message = "body is required") PriceRequests.Reprice request) {
        return TenantScope.asPlatform(() -> prices.reprice(request));
    }
}

package org.trialwatch.support.openapi;

import java.util.ArrayList;

import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Marks every operation that needs no token with {@code security: []}.
 *
 * <p>Quarkus adds the bearer requirement to operations guarded by {@code @RolesAllowed} or {@code @Authenticated};
 * the open ones (public reads, health, the e-mail confirmation link) then say nothing, which a client generator and
 * {@code redocly lint} read as "unknown". An explicit empty list says "open". Runs at start-up, after the build-time
 * security requirements are in the document.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class OpenOperationsFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().forEach(path -> path.getOperations().values().forEach(operation -> {
            if (operation.getSecurity() == null) {
                operation.setSecurity(new ArrayList<>());
            }
        }));
    }
}

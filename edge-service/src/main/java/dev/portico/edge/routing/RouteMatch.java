package dev.portico.edge.routing;

import dev.portico.edge.api.Route;
import java.util.Map;

/** A route chosen for a request, with the path parameters it bound. */
public record RouteMatch(Route route, Map<String, String> pathParameters) {}

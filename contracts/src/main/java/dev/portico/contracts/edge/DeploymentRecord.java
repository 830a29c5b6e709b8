package dev.portico.contracts.edge;

/** An immutable snapshot of one API's document, as a stage or canary can serve it. */
public record DeploymentRecord(
    String id, String apiId, String createdAt, String description, String document)
    implements GatewayEntity {}

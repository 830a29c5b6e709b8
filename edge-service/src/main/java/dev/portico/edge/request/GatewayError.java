package dev.portico.edge.request;

/**
 * The gateway's own error responses: status, the JSON {@code message} users grep for, and the
 * {@code x-portico-error-type} header value.
 */
public enum GatewayError {
  MISSING_AUTHENTICATION_TOKEN(
      403, "Missing Authentication Token", "MissingAuthenticationTokenException"),
  NOT_FOUND(404, "Not Found", "NotFoundException"),
  BAD_PATH(400, "Invalid path encoding", "BadRequestException"),
  BAD_QUERY(400, "Invalid query string encoding", "BadRequestException"),
  BAD_REQUEST(400, "Bad Request", "BadRequestException"),
  FORBIDDEN(403, "Forbidden", "AccessDeniedException"),
  UNAUTHORIZED(401, "Unauthorized", "UnauthorizedException"),
  INVALID_REQUEST_BODY(400, "Invalid request body", "BadRequestBodyException"),
  MISSING_PARAMETERS(400, "Missing required request parameters", "BadRequestParametersException"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported Media Type", "UnsupportedMediaTypeException"),
  TOO_MANY_REQUESTS(429, "Too Many Requests", "ThrottledException"),
  LIMIT_EXCEEDED(429, "Limit Exceeded", "LimitExceededException"),
  HEADERS_TOO_LARGE(431, "Request Header Fields Too Large", "RequestHeaderFieldsTooLargeException"),
  URI_TOO_LONG(414, "Request-URI Too Long", "RequestUriTooLongException"),
  REQUEST_TOO_LARGE(413, "Request Too Long", "RequestTooLargeException"),
  INTERNAL_ERROR(500, "Internal server error", "InternalServerErrorException"),
  AUTHORIZER_FAILURE(500, "Internal server error", "AuthorizerConfigurationException"),
  MALFORMED_INTEGRATION_RESPONSE(502, "Internal server error", "IntegrationFailure"),
  BACKEND_UNREACHABLE(502, "Bad Gateway: the backend could not be reached", "IntegrationFailure"),
  KAFKA_UNAVAILABLE(503, "Service Unavailable", "KafkaUnavailable"),
  BACKEND_SATURATED(
      503, "Service Unavailable: too many requests waiting for the backend", "IntegrationFailure"),
  INTEGRATION_TIMEOUT(504, "Endpoint request timed out", "IntegrationTimeout");

  private final int status;
  private final String message;
  private final String type;

  GatewayError(int status, String message, String type) {
    this.status = status;
    this.message = message;
    this.type = type;
  }

  public int status() {
    return status;
  }

  public String message() {
    return message;
  }

  public String type() {
    return type;
  }
}

package dev.portico.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/** One request of a workload: method, absolute URI, extra headers and body (or null). */
record BenchRequest(HttpMethod method, String uri, Map<String, String> headers, Buffer body) {}

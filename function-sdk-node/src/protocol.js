'use strict';
/**
 * The function protocol (docs/function-protocol.md) as pure logic: reads one request event and
 * returns the records to produce for it, the handler's records and the response event addressed
 * to the waiting edge. No Kafka I/O here, so every rule is unit-testable; the transactional loop
 * (loop.js) sends the result.
 *
 * A bad event never stops the function: an unreadable request is answered 400, a failing handler
 * 500, and the next request is served.
 */

const HEADERS = Object.freeze({
  EVENT_ID: 'portico-event-id',
  EVENT_TYPE: 'portico-event-type',
  SCHEMA_VERSION: 'portico-schema-version',
  CORRELATION_ID: 'portico-correlation-id',
  REPLY_TOPIC: 'portico-reply-topic',
  REPLY_PARTITION: 'portico-reply-partition',
  DEADLINE: 'portico-deadline',
});

const OUTCOME = Object.freeze({
  ANSWERED: 'answered', // the handler answered (a reply was sent if one was wanted)
  HANDLER_FAILED: 'handler_failed', // 500, the handler's records discarded
  MALFORMED: 'malformed', // not a request event: 400 if a reply was wanted
  EXPIRED: 'expired', // past its deadline: no handler call, nothing sent
});

/** Kafka's default max.request.size: a larger record would fail the transaction on every retry. */
const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** A response event with a JSON body and `content-type: application/json`. */
function json(statusCode, body, headers = {}) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const MALFORMED_REQUEST = json(400, { message: 'Malformed request event' });
const INTERNAL_ERROR = json(500, { message: 'Internal server error' });

/** A header's value as text; the last one wins when a name repeats (kafkajs gives an array). */
function header(headers, name) {
  const value = headers ? headers[name] : undefined;
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined || last === null ? null : last.toString('utf8');
}

/** Every header as text, the last value of a repeated name. */
function textHeaders(headers) {
  const out = {};
  for (const name of Object.keys(headers || {})) {
    out[name] = header(headers, name);
  }
  return out;
}

class BadReplyAddress extends Error {}

/**
 * Where the reply goes: null for an asynchronous invocation (no reply topic, partition or
 * correlation id). Throws BadReplyAddress when the partition is not a non-negative integer.
 */
function replyAddress(headers) {
  const topic = header(headers, HEADERS.REPLY_TOPIC);
  const partition = header(headers, HEADERS.REPLY_PARTITION);
  const correlationId = header(headers, HEADERS.CORRELATION_ID);
  if (topic === null || partition === null || correlationId === null) {
    return null;
  }
  if (!/^\s*\d+\s*$/.test(partition) || Number(partition) > 2147483647) {
    throw new BadReplyAddress(`bad reply partition '${partition}' in the request of ${correlationId}`);
  }
  return { topic, partition: Number(partition), correlationId, deadline: deadline(headers) };
}

/** Epoch ms; a missing or unreadable deadline means none (Infinity). */
function deadline(headers) {
  const value = header(headers, HEADERS.DEADLINE);
  return value !== null && /^\s*\d+\s*$/.test(value) ? Number(value) : Infinity;
}

/** The response event record for `address`. */
function replyRecord(address, response) {
  const id = address.correlationId;
  return {
    topic: address.topic,
    partition: address.partition,
    key: id,
    value: JSON.stringify(response),
    headers: {
      [HEADERS.CORRELATION_ID]: id,
      // The correlation id as the event id: a reply produced again after a retry keeps its id.
      [HEADERS.EVENT_ID]: id,
      [HEADERS.EVENT_TYPE]: 'FunctionResponse',
      [HEADERS.SCHEMA_VERSION]: '1',
    },
  };
}

/** About the bytes a record takes in a produce request (a little over, never under). */
function recordSize(record) {
  let size = 64 + Buffer.byteLength(record.topic || '');
  size += record.key == null ? 0 : Buffer.byteLength(record.key);
  size += record.value == null ? 0 : Buffer.byteLength(record.value);
  for (const [name, value] of Object.entries(record.headers || {})) {
    size += 8 + Buffer.byteLength(name) + (value == null ? 0 : Buffer.byteLength(value));
  }
  return size;
}

/** Why a handler's response is not a response event, or null when it is one. */
function responseProblem(response) {
  if (response === null || typeof response !== 'object' || Array.isArray(response)) {
    return 'the handler returned no response object';
  }
  const { statusCode, headers, body, isBase64Encoded } = response;
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return `the handler returned status ${statusCode}, outside 100-599`;
  }
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object' || Array.isArray(headers)) {
      return 'the handler returned headers that are not an object';
    }
    const bad = Object.keys(headers).find((name) => typeof headers[name] !== 'string');
    if (bad !== undefined) {
      return `the handler returned header '${bad}' with a value that is not a string`;
    }
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    return 'the handler returned a body that is not a string (JSON.stringify it, or use json())';
  }
  if (isBase64Encoded !== undefined && typeof isBase64Encoded !== 'boolean') {
    return 'the handler returned an isBase64Encoded that is not a boolean';
  }
  return null;
}

/**
 * What a handler knows beyond the event, and its way to emit records into the function's
 * transaction (visible only if the response commits).
 */
class FunctionContext {
  constructor(message, address, maxRecordBytes, payloadFormatVersion) {
    this.topic = message.topic;
    this.partition = message.partition;
    this.offset = message.offset;
    this.key = message.key == null ? null : message.key.toString('utf8');
    this.headers = textHeaders(message.headers);
    this.correlationId = address ? address.correlationId : null;
    this.deadline = address && address.deadline !== Infinity ? address.deadline : null;
    this.expectsReply = address !== null;
    this.payloadFormatVersion = payloadFormatVersion;
    this.sent = [];
    this._maxRecordBytes = maxRecordBytes;
  }

  /** Sends a record in the function's transaction; `value` a string, Buffer or null. */
  send(topic, key, value, headers = {}) {
    const record = { topic, key: key == null ? null : String(key), value, headers };
    const size = recordSize(record);
    if (size > this._maxRecordBytes) {
      throw new RangeError(
        `a record of about ${size} bytes for ${topic} exceeds the producer's limit of ` +
          `${this._maxRecordBytes} bytes`,
      );
    }
    this.sent.push(record);
  }
}

function where(message) {
  const key = message.key == null ? '' : ` (key ${message.key.toString('utf8')})`;
  return `${message.topic}-${message.partition}@${message.offset}${key}`;
}

/**
 * Turns one request event (a kafkajs message plus its topic and partition) into what to produce.
 *
 * `handlerSeconds` is how long the handler ran (failed runs included), or null when it was not called.
 *
 * @returns {Promise<{outcome: string, records: object[], replied: boolean, handlerRecords: number, handlerSeconds: ?number}>}
 */
async function processRequest(message, handler, { now = Date.now(), log = console, maxRecordBytes = DEFAULT_MAX_RECORD_BYTES } = {}) {
  let address;
  try {
    address = replyAddress(message.headers);
  } catch (e) {
    if (!(e instanceof BadReplyAddress)) throw e;
    // Served like an asynchronous invocation: the work is done, the reply cannot be delivered.
    log.warn(`Dropping the reply to ${where(message)}: ${e.message}`);
    address = null;
  }
  const answerOnly = (outcome, response, handlerSeconds = null) =>
    address === null
      ? { outcome, records: [], replied: false, handlerRecords: 0, handlerSeconds }
      : { outcome, records: [replyRecord(address, response)], replied: true, handlerRecords: 0, handlerSeconds };

  const event = parse(message.value);
  if (event === null) {
    log.warn(`Request event ${where(message)} is not a request event`);
    return answerOnly(OUTCOME.MALFORMED, MALFORMED_REQUEST);
  }
  if (address !== null && now > address.deadline) {
    // Nobody waits any more: the edge would drop the reply as late. Skipping the work also keeps
    // a backlog of stale requests from delaying fresh ones.
    return { outcome: OUTCOME.EXPIRED, records: [], replied: false, handlerRecords: 0, handlerSeconds: null };
  }
  const version = event.version === '1.0' ? '1.0' : '2.0';
  const context = new FunctionContext(message, address, maxRecordBytes, version);
  let response;
  const started = process.hrtime.bigint();
  let handlerSeconds = null;
  const ran = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    response = await handler(event, context);
    handlerSeconds = ran();
    const problem = responseProblem(response);
    if (problem !== null) {
      throw new Error(problem);
    }
  } catch (e) {
    const seconds = handlerSeconds ?? ran(); // before the log line: not its time
    log.error(`The handler failed on ${where(message)}; answering 500:`, e);
    return answerOnly(OUTCOME.HANDLER_FAILED, INTERNAL_ERROR, seconds);
  }
  const records = [...context.sent];
  if (address !== null) {
    const reply = replyRecord(address, response);
    if (recordSize(reply) > maxRecordBytes) {
      log.error(`The response to ${where(message)} is larger than ${maxRecordBytes} bytes; answering 500`);
      return answerOnly(OUTCOME.HANDLER_FAILED, INTERNAL_ERROR, handlerSeconds);
    }
    records.push(reply);
  }
  return {
    outcome: OUTCOME.ANSWERED,
    records,
    replied: address !== null,
    handlerRecords: context.sent.length,
    handlerSeconds,
  };
}

/** The event as an object, or null when the value is not a JSON object. */
function parse(value) {
  if (value === null || value === undefined) {
    return null;
  }
  try {
    const event = JSON.parse(value.toString('utf8'));
    return event !== null && typeof event === 'object' && !Array.isArray(event) ? event : null;
  } catch (notJson) {
    return null;
  }
}

module.exports = {
  HEADERS,
  OUTCOME,
  DEFAULT_MAX_RECORD_BYTES,
  MALFORMED_REQUEST,
  INTERNAL_ERROR,
  json,
  header,
  replyAddress,
  replyRecord,
  recordSize,
  responseProblem,
  processRequest,
  FunctionContext,
  BadReplyAddress,
};

// Small node:http helpers: bounded body reading and JSON answers.

import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiFailure, badRequest } from "./errors";

const MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLargeError extends ApiFailure {
  constructor() {
    super(
      413,
      "payload_too_large",
      "Payload Too Large",
      `request body is larger than ${MAX_BODY_BYTES} bytes`,
      "request.too_large",
    );
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON request body; an empty or malformed body is a 400 that says where parsing stopped. */
export function parseJsonBody(text: string): unknown {
  if (text.trim().length === 0) {
    throw badRequest(
      "the request body is empty; send a JSON object with Content-Type: application/json",
      "request.malformed_json",
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw badRequest(`the request body is not valid JSON: ${reason}`, "request.malformed_json");
  }
}

/** Answers JSON; a connection already torn down (shutdown, client gone) is left alone. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, headers);
  res.end();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

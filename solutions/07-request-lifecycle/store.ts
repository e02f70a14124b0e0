/**
 * The data layer: messages kept in memory, plus two slow neighbours that stand in for
 * real infrastructure: a report service that takes a while to answer, and an audit
 * store that can be down.
 *
 * Nothing in this file knows about HTTP. Cancellation arrives as a plain AbortSignal,
 * the same object fetch() and most database drivers accept.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Message {
  readonly id: string;
  readonly text: string;
  readonly createdAt: string;
}

const messages = new Map<string, Message>();

export function listMessages(): Message[] {
  return [...messages.values()];
}

export function findMessage(id: string): Message | undefined {
  return messages.get(id);
}

export function addMessage(text: string): Message {
  // randomUUID, not a counter: ids stay unique however many requests race.
  const message: Message = { id: randomUUID(), text, createdAt: new Date().toISOString() };
  messages.set(message.id, message);
  return message;
}

export function removeMessage(id: string): boolean {
  return messages.delete(id);
}

export interface Report {
  readonly waitedMs: number;
  readonly messageCount: number;
}

/** How many reports are being built right now; /stats shows it so leaks are visible. */
let reportsInProgress = 0;

export function reportsRunning(): number {
  return reportsInProgress;
}

/**
 * Builds a report the slow way: it takes `ms` milliseconds, like a heavy query.
 * Pass a signal and the work stops as soon as the signal aborts (the promise rejects
 * with an AbortError); without one it runs to the end whether anyone still wants it or not.
 */
export async function buildReport(ms: number, signal?: AbortSignal): Promise<Report> {
  reportsInProgress += 1;
  try {
    await sleep(ms, undefined, { signal });
    return { waitedMs: ms, messageCount: messages.size };
  } finally {
    reportsInProgress -= 1;
  }
}

/** One line in the audit trail. Plain values only: it outlives the request it describes. */
export interface AuditEvent {
  readonly method: string;
  readonly url: string;
  readonly outcome: 'completed' | 'abandoned';
  readonly status: number;
  readonly durationMs: number;
}

const auditTrail: AuditEvent[] = [];

/**
 * Writes an audit event to a store that answers a little later. With AUDIT_FAIL=1 the
 * store is "down" and every write rejects, the way a real client does when its
 * connection pool is exhausted.
 */
export async function recordAudit(event: AuditEvent): Promise<void> {
  await sleep(20);
  if (process.env.AUDIT_FAIL === '1') {
    throw new Error('audit store unavailable (simulated outage)');
  }
  auditTrail.push(event);
  // Keep the in-memory trail bounded: this is a stand-in, not a database.
  if (auditTrail.length > 1000) auditTrail.shift();
}

/**
 * The data layer: messages kept in memory.
 *
 * Nothing in this file knows about HTTP. It takes and returns plain values, so a
 * real database could replace the Map later without touching a single handler.
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

/**
 * Stands in for a query against a database that is down. It rejects after a short
 * wait, the way a real driver does when the connection fails.
 */
export async function loadAuditLog(): Promise<string[]> {
  await sleep(5);
  throw new Error('database unavailable (simulated outage)');
}

/**
 * The last part of a stream of output, kept cheaply however much arrives.
 *
 * A server that prints hundreds of megabytes must be read as fast as it writes (a full
 * pipe would block it, and then its requests would hang for a reason that has nothing
 * to do with HTTP), but only the end of what it printed is worth quoting. So the chunks
 * are kept as the Buffers they arrive in (no decoding, no copying), dropped from the
 * front once the rest covers the limit, and decoded only when someone reads the text.
 * Rebuilding one string per chunk would copy the whole kept tail every time.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  /** Index of the oldest chunk still kept (dropping from the front without Array.shift). */
  private head = 0;
  private keptBytes = 0;
  private decoded: string | undefined = '';
  /** Every byte that arrived, kept or not. */
  totalBytes = 0;
  /** Bytes that arrived but are no longer kept. */
  droppedBytes = 0;

  constructor(readonly limitBytes: number) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.keptBytes += chunk.length;
    this.totalBytes += chunk.length;
    this.decoded = undefined;
    // Drop whole chunks from the front while the rest still covers the limit.
    while (this.head < this.chunks.length - 1 && this.keptBytes - this.chunks[this.head]!.length >= this.limitBytes) {
      const dropped = this.chunks[this.head]!;
      this.chunks[this.head] = EMPTY;
      this.head++;
      this.keptBytes -= dropped.length;
      this.droppedBytes += dropped.length;
    }
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** The kept output as text: the newest `limitBytes` bytes at most. */
  get text(): string {
    if (this.decoded === undefined) {
      let kept = Buffer.concat(this.chunks.slice(this.head));
      if (kept.length > this.limitBytes) {
        let cut = kept.length - this.limitBytes;
        // Start on a whole UTF-8 character: skip continuation bytes (10xxxxxx).
        while (cut < kept.length && (kept[cut]! & 0xc0) === 0x80) cut++;
        this.droppedBytes += cut;
        kept = kept.subarray(cut);
      }
      // One chunk from now on: the next read is free, the next push appends to a short queue.
      this.chunks = [kept];
      this.head = 0;
      this.keptBytes = kept.length;
      this.decoded = kept.toString('utf8');
    }
    return this.decoded;
  }

  get truncated(): boolean {
    return this.droppedBytes > 0;
  }
}

const EMPTY = Buffer.alloc(0);

/** 1536 → "1.5 KB"; for telling a learner how much their server printed. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

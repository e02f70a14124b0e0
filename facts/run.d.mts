// Types for the plain-JavaScript ledger runner, so TypeScript tests can read the ledger.
export interface LoadedFact {
  readonly id: string;
  readonly claim: string;
  readonly file: string;
  readonly timeoutMs: number;
  readonly run: () => Promise<void>;
}
export function loadFacts(): Promise<LoadedFact[]>;

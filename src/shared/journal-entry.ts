// The decision journal's entry: what the renderer appends and training and export fold
// (journal-fold.ts).
import { z } from 'zod';

export const DecisionAction = z.enum(['relabel', 'other', 'accept', 'keep', 'skip']);
export type DecisionAction = z.infer<typeof DecisionAction>;

/**
 * One entry of the append-only decision journal. An undo is an entry of its own
 * (action 'undo') naming the batch it reverts, so the journal never rewrites history.
 */
export const JournalEntry = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('decision'),
    entryId: z.string().min(8).max(64),
    batchId: z.string().min(8).max(64),
    sampleId: z.string().min(1).max(128),
    action: DecisionAction,
    /** Label before this decision (given label or an earlier decision), null if none. */
    before: z.string().max(256).nullable(),
    /** Final label after it; null for 'skip'. */
    after: z.string().max(256).nullable(),
    at: z.string().datetime(),
    reviewer: z.string().max(100),
  }),
  z.object({
    kind: z.literal('undo'),
    entryId: z.string().min(8).max(64),
    /** The batch whose decisions this reverts. */
    batchId: z.string().min(8).max(64),
    at: z.string().datetime(),
    reviewer: z.string().max(100),
  }),
]);
export type JournalEntry = z.infer<typeof JournalEntry>;

// Long jobs' events: progress, and how each job ended (with the summaries a retrain or
// an export returns), plus the project-changed event that tells the renderer to refetch.
import { z } from 'zod';
import { ProjectInfo } from './read-models.js';

export const ProgressEvent = z.object({
  type: z.literal('progress'),
  jobId: z.string(),
  task: z.enum(['open', 'train', 'score', 'export', 'labelcheck']),
  phase: z.string(),
  /** 0..1 of the whole job. */
  fraction: z.number(),
  epoch: z.number().optional(),
  epochs: z.number().optional(),
  loss: z.number().optional(),
  accuracy: z.number().optional(),
  samplesPerSec: z.number().optional(),
  etaSec: z.number().optional(),
  message: z.string(),
});
export type ProgressEvent = z.infer<typeof ProgressEvent>;

export const RetrainSummary = z.object({
  modelVersion: z.string(),
  heldOutAccuracyBefore: z.number().nullable(),
  heldOutAccuracyAfter: z.number(),
  queueBefore: z.number(),
  queueAfter: z.number(),
  leftQueue: z.number(),
  /** Pool samples the new model predicts as 'other'. */
  predictedOther: z.number(),
  /** Of those, how many for their distance from every known class (OTHER_BY_DISTANCE). */
  otherByDistance: z.number(),
  /** Samples the reviewer has marked 'other'. */
  markedOther: z.number(),
  /** Of the samples marked 'other', how many the new model calls 'other'. */
  trainedOnCorrections: z.number(),
});
export type RetrainSummary = z.infer<typeof RetrainSummary>;

export const ExportSummary = z.object({
  dir: z.string(),
  files: z.number(),
  perClass: z.record(z.string(), z.number()),
  manifest: z.array(z.string()),
  corrected: z.number(),
  modelIncluded: z.boolean(),
});
export type ExportSummary = z.infer<typeof ExportSummary>;

export const JobEvent = z.discriminatedUnion('type', [
  ProgressEvent,
  z.object({ type: z.literal('done'), jobId: z.string(), task: ProgressEvent.shape.task, result: z.unknown() }),
  z.object({ type: z.literal('error'), jobId: z.string(), task: ProgressEvent.shape.task, message: z.string() }),
  z.object({ type: z.literal('cancelled'), jobId: z.string(), task: ProgressEvent.shape.task }),
  /** The project changed (new model, queue re-ranked, dataset opened): refetch. */
  z.object({ type: z.literal('project'), project: ProjectInfo }),
  /** Desktop only: the native menu asks the renderer to run a command, as its key would. */
  z.object({ type: z.literal('menu'), command: z.enum(['open', 'export', 'retrain']) }),
]);
export type JobEvent = z.infer<typeof JobEvent>;

import { OTHER_LABEL, type ProjectInfo } from '../../../shared/api';
import type { RendererBridge } from '../bridge';
import type { DialogName } from '../hooks/useCommands';
import type { JobsState } from '../hooks/useJobs';
import type { Command } from '../keys/keymap';
import { saveReviewer } from '../preferences';
import { ClassPicker } from './ClassPicker';
import { Dialog } from './Dialog';
import { ExportDialog } from './ExportDialog';
import { HelpOverlay } from './HelpOverlay';
import { InsightsDialog } from './InsightsDialog';
import { OpenDatasetForm } from './OpenDatasetForm';
import { chooserFor } from './PathField';
import { PreferencesDialog } from './PreferencesDialog';
import { RetrainPanel } from './RetrainPanel';

export interface AppDialogsProps {
  bridge: RendererBridge;
  dialog: DialogName;
  setDialog: (d: DialogName) => void;
  project: ProjectInfo | null;
  classKeys: ReadonlyMap<string, string>;
  jobs: JobsState;
  reviewer: string;
  setReviewer: (name: string) => void;
  refresh: () => Promise<void>;
  onError: (message: string) => void;
  /** Runs a command as its key would (the class picker's choice). */
  onCommand: (cmd: Command) => void;
  /** Whom a decision is for now, e.g. "this sample" or "12 selected". */
  decisionTarget: string;
  /** Makes a sample the current one (the embedding map's click), closing the dialog. */
  onPickSample: (id: string) => void;
}

/** The retrain panel and the one dialog open at a time. */
export function AppDialogs(p: AppDialogsProps) {
  const { bridge, dialog, jobs, onError } = p;
  const close = () => p.setDialog(null);
  return (
    <>
      {jobs.retrain && (
        <RetrainPanel
          job={jobs.retrainJob}
          error={jobs.retrain.error}
          onCancel={jobs.cancelRetrain}
          onClose={jobs.closeRetrain}
        />
      )}

      {dialog === 'open' && (
        <Dialog title="Open dataset" onClose={close}>
          <OpenDatasetForm
            bridge={bridge}
            onStarted={() => {
              p.setDialog(null);
              void p.refresh();
            }}
          />
        </Dialog>
      )}
      {dialog === 'export' && (
        <ExportDialog
          job={jobs.exportState}
          error={jobs.exportJob.error}
          suggested={p.project?.exportDir ?? ''}
          choose={chooserFor(bridge, 'export')}
          onExport={(dir) => void jobs.startExport(dir)}
          onClose={close}
        />
      )}
      {dialog === 'insights' && p.project && (
        <InsightsDialog
          bridge={bridge}
          project={p.project}
          onClose={close}
          onReopened={() => {
            p.setDialog(null);
            void p.refresh();
          }}
          onError={onError}
          onPickSample={p.onPickSample}
        />
      )}
      {dialog === 'help' && <HelpOverlay classKeys={p.classKeys} onClose={close} />}
      {dialog === 'findClass' && p.project && (
        <ClassPicker
          labels={p.project.labels}
          classKeys={p.classKeys}
          target={p.decisionTarget}
          onPick={(label) => {
            close();
            p.onCommand(label === OTHER_LABEL ? { type: 'other' } : { type: 'relabel', label });
          }}
          onClose={close}
        />
      )}
      {dialog === 'prefs' && (
        <PreferencesDialog
          reviewer={p.reviewer}
          onSave={(name) => {
            try {
              saveReviewer(name);
            } catch (err) {
              onError(`Could not save preferences: ${String(err)}`);
            }
            p.setReviewer(name.trim());
          }}
          onClose={close}
        />
      )}
    </>
  );
}

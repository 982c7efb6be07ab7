import type { ReactNode } from 'react';
import type { ProjectInfo } from '../../../shared/api';
import type { DialogName } from '../hooks/useCommands';
import type { NoticesState } from '../hooks/useNotices';
import { Notices } from './Notices';
import { TopBar } from './TopBar';

export interface AppLayoutProps {
  project: ProjectInfo | null;
  connected: boolean;
  busy: boolean;
  notices: NoticesState;
  setDialog: (d: DialogName) => void;
  onRetrain: () => void;
  /** The workspace, or what shows before there is one. */
  main: ReactNode;
  /** The session bar, once there is a queue. */
  footer: ReactNode;
  /** Panels and dialogs over the page. */
  children: ReactNode;
}

/** The page: top bar, the banners and notices, the main area, the session bar, the overlays. */
export function AppLayout({
  project,
  connected,
  busy,
  notices,
  setDialog,
  onRetrain,
  main,
  footer,
  children,
}: AppLayoutProps) {
  return (
    <div className="app">
      <TopBar
        project={project}
        busy={busy}
        onOpen={() => setDialog('open')}
        onInsights={() => setDialog('insights')}
        onRetrain={onRetrain}
        onExport={() => setDialog('export')}
        onHelp={() => setDialog('help')}
      />
      {!connected && (
        <div className="banner banner-error" role="alert">
          Connection to Unsure lost; reconnecting. Decisions you make are kept in this browser and sent when it is back.
        </div>
      )}
      {project?.status === 'error' && project.statusMessage && (
        <div className="banner banner-error" role="alert">
          {project.statusMessage}
        </div>
      )}
      <Notices notices={notices.notices} onDismiss={notices.dismiss} />
      {main}
      {footer}
      {children}
    </div>
  );
}

import { useCallback, useRef, useState } from 'react';
import type { Notice } from '../components/Notices';

export interface NoticesState {
  notices: Notice[];
  /** Shows a notice; an info notice goes by itself after a few seconds, an error stays. */
  notify: (kind: Notice['kind'], text: string) => void;
  onError: (message: string) => void;
  dismiss: (id: number) => void;
}

/** The transient notices above the workspace: the last few, one per text. */
export function useNotices(): NoticesState {
  const [notices, setNotices] = useState<Notice[]>([]);
  const noticeId = useRef(0);
  const notify = useCallback((kind: Notice['kind'], text: string) => {
    const id = ++noticeId.current;
    setNotices((n) => [...n.filter((x) => x.text !== text).slice(-4), { id, kind, text }]);
    if (kind === 'info') setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), 4000);
  }, []);
  const onError = useCallback((m: string) => notify('error', m), [notify]);
  const dismiss = useCallback((id: number) => setNotices((n) => n.filter((x) => x.id !== id)), []);
  return { notices, notify, onError, dismiss };
}

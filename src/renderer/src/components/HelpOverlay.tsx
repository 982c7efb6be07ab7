import { Dialog } from './Dialog';

export function HelpOverlay({ classKeys, onClose }: { classKeys: ReadonlyMap<string, string>; onClose: () => void }) {
  const rows: [string, string][] = [
    ...[...classKeys].map(([label, key]): [string, string] => [key, `relabel as ${label}`]),
    ['o', 'other (none of the known classes)'],
    ['Enter', 'accept the prediction'],
    ['a', 'keep the given label'],
    ['s / →', 'skip (recorded as seen) and go on; → on a decided sample just moves'],
    ['z / Backspace', 'undo the last decision (the whole batch)'],
    ['← ↑ ↓, Shift+→', 'move; Shift+arrow extends the selection'],
    ['Home / End', 'first / last sample'],
    ['click, Shift+click, Ctrl+click', 'select one, a range, toggle one'],
    ['m', 'select samples similar to this one'],
    ['Esc / x', 'clear the selection'],
    ['Shift+R', 'retrain on the corrected labels'],
    ['Shift+E', 'export the corrected dataset'],
    ['i', 'insights (confusion, score histograms)'],
    ['?', 'this help'],
  ];
  return (
    <Dialog title="Keyboard" onClose={onClose}>
      <p className="muted">
        A decision applies to the selection when several samples are selected, else to the current one.
      </p>
      <table className="keys">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k + v}>
              <th scope="row">
                <kbd>{k}</kbd>
              </th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}

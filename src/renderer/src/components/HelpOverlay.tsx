import { KEYMAP, MOUSE_HELP, shownKeys } from '../keys/keymap';
import { Dialog } from './Dialog';

export function HelpOverlay({ classKeys, onClose }: { classKeys: ReadonlyMap<string, string>; onClose: () => void }) {
  const rows: [string, string][] = [
    ...[...classKeys].map(([label, key]): [string, string] => [key, `relabel as ${label}`]),
    ...KEYMAP.map((b): [string, string] => [shownKeys(b), b.help]),
    ...MOUSE_HELP,
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

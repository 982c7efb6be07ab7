import { useEffect, useId, useState } from 'react';
import type { DatasetSpec, RecentProject } from '../../../shared/api';
import { errorMessage } from '../../../shared/api';
import { isBackboneUrl } from '../../../shared/backbone-spec';
import type { ChoosePathPurpose } from '../../../shared/ipc-channels';
import type { RendererBridge } from '../bridge';
import { chooserFor, PathField } from './PathField';
import { RecentProjects } from './RecentProjects';

/** The Model choice: a family, the user's model, or the user's predictions. */
type Choice = NonNullable<DatasetSpec['arch']> | 'own' | 'predictions';

/** Opens a dataset by path (train and/or pool) with a model choice, the demo, or a recent project. */
export function OpenDatasetForm({ bridge, onStarted }: { bridge: RendererBridge; onStarted: () => void }) {
  const [train, setTrain] = useState('');
  const [pool, setPool] = useState('');
  const [arch, setArch] = useState<Choice>('auto');
  const [model, setModel] = useState('');
  const [predProbs, setPredProbs] = useState('');
  const [features, setFeatures] = useState('');
  const [backbone, setBackbone] = useState('');
  const [backboneSha256, setBackboneSha256] = useState('');
  const modelId = useId();
  const [recent, setRecent] = useState<RecentProject[]>([]);
  const [busy, setBusy] = useState(false);
  // Shown in the form, next to the fields to fix: a notice would sit behind the dialog.
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    bridge.invoke('listRecent', {}).then(setRecent, () => setRecent([]));
  }, [bridge]);

  const choose = (purpose: ChoosePathPurpose) => chooserFor(bridge, purpose);

  const open = async (spec: DatasetSpec & { demo?: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      await bridge.invoke('openDataset', spec);
      onStarted();
    } catch (err) {
      setError(`Could not open the dataset: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="open-form">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const spec: DatasetSpec = arch === 'own' || arch === 'predictions' ? {} : { arch };
          if (arch === 'own') {
            if (!model.trim()) {
              setError('Give the path of your model, or choose another Model.');
              return;
            }
            spec.model = model.trim();
          }
          if (arch === 'backbone' && backbone.trim()) {
            spec.backbone = backbone.trim();
            if (backboneSha256.trim()) spec.backboneSha256 = backboneSha256.trim();
          }
          if (arch === 'predictions') {
            if (!predProbs.trim()) {
              setError('Give the file of your predictions, or choose another Model.');
              return;
            }
            spec.predProbs = predProbs.trim();
            if (features.trim()) spec.features = features.trim();
          }
          if (train.trim()) spec.train = train.trim();
          if (pool.trim() && arch !== 'predictions') spec.pool = pool.trim();
          if (!spec.train && !spec.pool) {
            setError('Give a train path, a pool path, or both.');
            return;
          }
          void open(spec);
        }}
      >
        <PathField
          label="Train path"
          value={train}
          onChange={setTrain}
          placeholder="/data/mnist-train (class folders, CSV or IDX)"
          choose={choose('train')}
        />
        {/* Predictions score the training files themselves: there is no pool to give. */}
        {arch !== 'predictions' && (
          <PathField
            label="Pool path"
            value={pool}
            onChange={setPool}
            placeholder="/data/to-review (optional)"
            choose={choose('pool')}
          />
        )}
        <div className="field">
          <label htmlFor={modelId}>Model</label>
          <select id={modelId} value={arch} onChange={(e) => setArch(e.target.value as Choice)}>
            <option value="auto">automatic: the data decides</option>
            <option value="cnn">small CNN, trained end to end</option>
            <option value="backbone">pretrained backbone with a trained head</option>
            <option value="own">my own model (ONNX, tfjs, SavedModel)</option>
            <option value="predictions">my predictions of the training files (.npy or CSV)</option>
          </select>
        </div>
        {arch === 'backbone' && (
          <PathField
            label="Backbone (optional)"
            value={backbone}
            onChange={setBackbone}
            placeholder="the shipped MobileNetV2-0.35; or a tfjs, SavedModel or ONNX folder, or an https URL"
            choose={choose('model')}
          />
        )}
        {arch === 'backbone' && isBackboneUrl(backbone.trim()) && (
          <label className="field">
            <span>SHA-256 of the download (optional; checked on every use)</span>
            <input
              value={backboneSha256}
              onChange={(e) => setBackboneSha256(e.target.value)}
              placeholder="64 hex digits"
              spellCheck={false}
            />
          </label>
        )}
        {arch === 'own' && (
          <PathField
            label="Model path"
            value={model}
            onChange={setModel}
            placeholder="/models/resnet (a folder, or model.onnx); preprocessor_config.json and classes.json beside it"
            choose={choose('model')}
          />
        )}
        {arch === 'predictions' && (
          <>
            <PathField
              label="Predictions file"
              value={predProbs}
              onChange={setPredProbs}
              placeholder="/work/probs.npy (rows in `unsure manifest` order) or probs.csv (a path column)"
              choose={choose('predictions')}
            />
            <PathField
              label="Features file (optional)"
              value={features}
              onChange={setFeatures}
              placeholder="/work/features.npy, the same rows: the kNN distance compares them"
              choose={choose('predictions')}
            />
            <p className="muted small">
              Out-of-sample probabilities of the training files (cleanlab&apos;s interface); the classes come from a
              classes.json beside the file or the CSV&apos;s header.
            </p>
          </>
        )}
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Open dataset
          </button>
          <button type="button" disabled={busy} onClick={() => void open({ demo: true })}>
            Open demo
          </button>
        </div>
      </form>
      <RecentProjects recent={recent} disabled={busy} onOpen={(spec) => void open(spec)} />
    </div>
  );
}

// Loaded before TensorFlow (tf.ts imports it first, and the engine client before it starts
// the worker TensorFlow runs in): libtensorflow reads this when it loads,
// and at its default it writes INFO lines (CPU features, each SavedModel load) to stderr on
// every run. Warnings and errors still show; a value the user set is kept.
process.env.TF_CPP_MIN_LOG_LEVEL ??= '1';

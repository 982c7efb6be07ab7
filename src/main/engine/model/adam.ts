// Adam for a few tf.Variables in twelve kernels each: the bias corrections are folded into
// the step size and epsilon (Kingma & Ba, section 2), which gives tf.train.adam's update
// m_hat / (sqrt(v_hat) + epsilon) exactly, with fewer passes over the big kernel.
import { tf } from './tf.js';

export class Adam {
  private t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly vars: tf.Variable[],
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    this.m = vars.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
    this.v = vars.map((w) => tf.tidy(() => tf.variable(tf.zerosLike(w), false)));
  }

  /** One update with these gradients (in the order of the variables) at this learning rate. */
  step(grads: tf.Tensor[], lr: number): void {
    if (grads.length !== this.vars.length)
      throw new Error(`adam: ${grads.length} gradients for ${this.vars.length} variables`);
    this.t++;
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = Math.sqrt(1 - this.beta2 ** this.t);
    const size = (lr * c2) / c1;
    const eps = this.epsilon * c2;
    tf.tidy(() =>
      this.vars.forEach((w, i) => {
        const g = grads[i]!;
        const m = tf.add(this.m[i]!, tf.mul(tf.sub(g, this.m[i]!), 1 - this.beta1));
        const v = tf.add(this.v[i]!, tf.mul(tf.sub(tf.square(g), this.v[i]!), 1 - this.beta2));
        w.assign(tf.sub(w, tf.div(tf.mul(m, size), tf.add(tf.sqrt(v), eps))));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
      }),
    );
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
  }
}

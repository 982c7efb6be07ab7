// The documented rule that picks a model family from the data (docs/colour-design.md): small
// grey images of marks on a plain background (digits, glyphs, clothes on black) take the small
// CNN, anything else the pretrained backbone. Pure: a probe in, the family and a sentence for
// the UI and the CLI out.
import type { ModelArch } from '../../../shared/recipe.js';

/** Above this many pixels on a side, images take the backbone whatever their colour. */
export const CNN_MAX_SIDE = 64;

/**
 * Small grey images take the small CNN (and MNIST's look: inverted when dark on light, centred
 * by mass) only when at least this share of those looked at are marks on a plain background.
 * Of 500 images each: MNIST digits 100% plain, Fashion-MNIST 98%, CIFAR photos in grey 7-32%.
 * Grey photos are the backbone's: on 180 grey 48 x 48 CIFAR photos of three classes the small
 * CNN was right on 33-44% of the held-out ones (chance), the backbone's head on 67-89%.
 */
export const DRAWN_SHARE = 0.5;

export interface ProbedImage {
  /** Index into the files probed. */
  index: number;
  /** As displayed (EXIF orientation applied). */
  width: number;
  height: number;
  /** The file's own channels: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA or CMYK. */
  channels: number;
  /** Every pixel grey; null when not looked at (a side over CNN_MAX_SIDE decides anyway). */
  grey: boolean | null;
  /** Marks on a plain background (lookAt in photo-probe.ts); null when not looked at. */
  plain: boolean | null;
}

export interface ImageProbe {
  /** The spread of files looked at, in file order. */
  images: ProbedImage[];
  /** Files of the spread that could not be probed. */
  failures: { index: number; reason: string }[];
}

export interface ArchChoice {
  arch: ModelArch;
  /** "28 x 28 grey images: the small CNN". */
  reason: string;
}

const FAMILY: Record<ModelArch, string> = { cnn: 'the small CNN', backbone: 'the pretrained backbone' };

function describe(probe: ImageProbe): { arch: ModelArch; what: string } {
  const { images } = probe;
  if (images.length === 0) return { arch: 'backbone', what: 'no image could be probed' };
  const maxW = Math.max(...images.map((i) => i.width));
  const maxH = Math.max(...images.map((i) => i.height));
  const oneSize = images.every((i) => i.width === maxW && i.height === maxH);
  const size = oneSize ? `${maxW} x ${maxH}` : `up to ${maxW} x ${maxH}`;
  const allGrey = images.every((i) => i.grey === true);
  const anyColour = images.some((i) => i.grey === false);
  const colour = allGrey ? 'grey' : anyColour ? 'colour' : '';
  const phrase = (oneSize ? `${size} ${colour} images` : `${colour} images ${size}`).replace(/\s+/g, ' ').trim();
  const large = Math.max(maxW, maxH) > CNN_MAX_SIDE;
  const seen = images.filter((i) => i.plain !== null);
  const drawn = seen.length === 0 || seen.filter((i) => i.plain).length >= DRAWN_SHARE * seen.length;
  if (allGrey && !large && drawn) return { arch: 'cnn', what: phrase };
  if (large) return { arch: 'backbone', what: `${phrase} (over ${CNN_MAX_SIDE} px a side)` };
  return { arch: 'backbone', what: allGrey ? `${phrase} with no plain background (photos, not drawn marks)` : phrase };
}

/** The family for these images, or the user's override with what the data alone would take. */
export function chooseArch(probe: ImageProbe, override: ModelArch | 'auto' = 'auto'): ArchChoice {
  const auto = describe(probe);
  const sentence = `${auto.what.charAt(0).toUpperCase()}${auto.what.slice(1)}: ${FAMILY[auto.arch]}`;
  if (override === 'auto') return { arch: auto.arch, reason: sentence };
  if (override === auto.arch) return { arch: override, reason: `${sentence} (also the choice given)` };
  return {
    arch: override,
    reason: `${FAMILY[override].charAt(0).toUpperCase()}${FAMILY[override].slice(1)}, as chosen (the data alone would take ${FAMILY[auto.arch]}: ${auto.what})`,
  };
}

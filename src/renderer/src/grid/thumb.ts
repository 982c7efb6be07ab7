// Where a tile's thumbnail sits in its sheet (shared/media.ts): samples stacked top to bottom
// at the stored shape, shown with the longer side THUMB_PX and the aspect ratio kept.

/** Longer side of a thumbnail on screen (styles/grid.css .tile-img). */
export const THUMB_PX = 84;

export interface ThumbBox {
  width: number;
  height: number;
  /** CSS background-size of the sheet at this width. */
  backgroundSize: string;
  /** CSS background-position of sample `index` of the sheet. */
  backgroundPosition: string;
}

/** `aspect` is the stored image's height over its width (1 for 28 x 28 digits and square previews). */
export function thumbBox(aspect: number, index: number): ThumbBox {
  const a = Number.isFinite(aspect) && aspect > 0 ? aspect : 1;
  const width = a <= 1 ? THUMB_PX : THUMB_PX / a;
  const height = width * a;
  return { width, height, backgroundSize: `${width}px auto`, backgroundPosition: `0 ${-index * height}px` };
}

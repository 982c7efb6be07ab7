// One Content-Security-Policy for both shells. No remote content at all: scripts and
// styles come from the app itself, images from the app or the sample protocol.
// 'unsafe-inline' for styles only, because React's style attributes need it; scripts
// never run inline or through eval.
export const MEDIA_SCHEME = 'unsure-media';
export const APP_SCHEME = 'unsure-app';

export function contentSecurityPolicy(extraImageSources: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${extraImageSources.join(' ')}`.trim(),
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

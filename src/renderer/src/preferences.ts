// Preferences live in localStorage: tiny, synchronous, and per browser profile, which is
// what a reviewer name is.
const REVIEWER_KEY = 'unsure.reviewer';

export function loadReviewer(): string {
  try {
    return localStorage.getItem(REVIEWER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveReviewer(name: string): void {
  localStorage.setItem(REVIEWER_KEY, name.trim().slice(0, 100));
}
